/** Boots the real notifications subgraph on port 0 against a fresh test database and calls it as the router would. */
import { randomUUID } from "node:crypto";
import { IDENTITY_HEADER, type Role } from "@clinigraph/platform";
import { createTestDatabase, signIdentity, TEST_ROUTER_SECRETS, type TestDatabase } from "@clinigraph/testing";
import { startNotifications } from "../../src/index.js";
import type { ContactDirectory } from "../../src/domain/ports.js";

export interface Harness {
  url: string;
  db: TestDatabase;
  call(
    query: string,
    caller?: { userId: string; role: Role },
    variables?: Record<string, unknown>,
  ): Promise<{ data?: Record<string, unknown>; errors?: { message: string; extensions?: { code?: string; field?: string } }[] }>;
  /** Phone numbers the fake accounts directory knows, by user id. */
  phones: Map<string, string>;
  stop(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  const db = await createTestDatabase(["notifications"]);
  const phones = new Map<string, string>();
  const contacts: ContactDirectory = { phoneOf: async (actor) => phones.get(actor.userId) ?? null };
  const running = await startNotifications(
    {
      DATABASE_URL: db.url,
      CLINIGRAPH_ROUTER_SECRETS: TEST_ROUTER_SECRETS.join(","),
      NOTIFICATIONS_PORT: "0",
      LOG_LEVEL: "silent",
    },
    { contacts },
  );
  return {
    url: running.url,
    db,
    phones,
    async call(query, caller, variables = {}) {
      const identity = await signIdentity({ userId: caller?.userId ?? null, role: caller?.role ?? null, requestId: randomUUID() }, TEST_ROUTER_SECRETS);
      const response = await fetch(running.url, {
        method: "POST",
        headers: { "content-type": "application/json", [IDENTITY_HEADER]: identity },
        body: JSON.stringify({ query, variables }),
      });
      return (await response.json()) as Awaited<ReturnType<Harness["call"]>>;
    },
    async stop() {
      await running.close();
      await db.drop();
    },
  };
}
