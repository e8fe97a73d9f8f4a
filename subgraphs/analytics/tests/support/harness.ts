/** Boots the real analytics subgraph on port 0 against a fresh test database and calls it as the router would. */
import { randomUUID } from "node:crypto";
import { IDENTITY_HEADER, type Role } from "@clinigraph/platform";
import { createTestDatabase, signIdentity, TEST_ROUTER_SECRETS, type TestDatabase } from "@clinigraph/testing";
import { startAnalytics } from "../../src/index.js";

export interface Harness {
  url: string;
  db: TestDatabase;
  call(
    query: string,
    caller?: { userId: string; role: Role },
  ): Promise<{ data?: Record<string, unknown>; errors?: { message: string; extensions?: { code?: string } }[] }>;
  stop(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  const db = await createTestDatabase(["analytics"]);
  const running = await startAnalytics({
    DATABASE_URL: db.url,
    CLINIGRAPH_ROUTER_SECRETS: TEST_ROUTER_SECRETS.join(","),
    ANALYTICS_PORT: "0",
    LOG_LEVEL: "silent",
  });
  return {
    url: running.url,
    db,
    async call(query, caller) {
      const identity = await signIdentity({ userId: caller?.userId ?? null, role: caller?.role ?? null, requestId: randomUUID() }, TEST_ROUTER_SECRETS);
      const response = await fetch(running.url, {
        method: "POST",
        headers: { "content-type": "application/json", [IDENTITY_HEADER]: identity },
        body: JSON.stringify({ query }),
      });
      return (await response.json()) as Awaited<ReturnType<Harness["call"]>>;
    },
    async stop() {
      await running.close();
      await db.drop();
    },
  };
}
