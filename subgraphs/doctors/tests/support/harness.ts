/**
 * Boots the real doctors subgraph (startDoctors) on port 0 against a fresh database, with the in-memory
 * FakeAccounts for its accounts neighbour and its outbox relayed to an in-memory event bus, and calls it over HTTP
 * with a router-signed identity header, as the router would.
 */
import { randomUUID } from "node:crypto";
import { PrismaPg } from "@prisma/adapter-pg";
import { createMemoryEventBus, type EventBus } from "@clinigraph/events";
import { createLogger, createSqlPool, IDENTITY_HEADER, type BackgroundWorkers, type Role, type Sql } from "@clinigraph/platform";
import { createTestDatabase, signIdentity, TEST_ROUTER_SECRETS, type TestDatabase } from "@clinigraph/testing";
import { PrismaClient } from "../../src/generated/prisma/client.js";
import type { AccountsClient, SchedulingClient } from "../../src/domain/ports.js";
import { startDoctors } from "../../src/index.js";
import { FakeAccounts } from "./fakeAccounts.js";
import { FakeScheduling } from "./fakeScheduling.js";

/** A caller: a signed-in user, `anonymous` (signed, no user) or `noHeader` (did not come through the router). */
export type Caller = { userId: string; role: Role } | "anonymous" | "noHeader";

// Tests read response data freely and assert on its shape; `any` keeps them short.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export interface GraphQLResult<T = any> {
  status: number;
  data?: T;
  errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string; field?: string } }[];
}

export interface Harness {
  url: string;
  db: TestDatabase;
  prisma: PrismaClient;
  accounts: FakeAccounts;
  /** The scheduling neighbour (its calendar, for template previews). */
  scheduling: FakeScheduling;
  /** The bus the outbox relay publishes to. */
  bus: EventBus;
  /** The outbox relay (settleWorkers publishes what is pending). */
  workers: BackgroundWorkers;
  /** SQL statements run since the last `queries.length = 0`. */
  queries: string[];
  /** The hand-written reads' connection (logged into `queries`). */
  sql: Sql;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  call<T = any>(query: string, variables?: Record<string, unknown>, caller?: Caller): Promise<GraphQLResult<T>>;
  stop(): Promise<void>;
}

export async function startHarness(options: { accounts?: AccountsClient; scheduling?: SchedulingClient } = {}): Promise<Harness> {
  const db = await createTestDatabase(["accounts", "doctors"]);
  const queries: string[] = [];
  const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: db.url }), log: [{ emit: "event", level: "query" }] });
  prisma.$on("query", (event) => queries.push(event.query));
  // The hand-written reads go through a pool of their own here, logged into the same list.
  const pool = createSqlPool(db.url, { max: 4 });
  const sql: Sql = {
    query: (text, values) => {
      queries.push(text);
      return pool.query(text, values ? [...values] : undefined);
    },
  } as Sql;
  const accounts = new FakeAccounts();
  const scheduling = new FakeScheduling();
  const env = { DATABASE_URL: db.url, CLINIGRAPH_ROUTER_SECRETS: TEST_ROUTER_SECRETS.join(","), DOCTORS_PORT: "0" };
  const bus = createMemoryEventBus();
  const running = await startDoctors(env, {
    prisma: prisma as unknown as import("../../src/data/prisma.js").PrismaClient,
    sql,
    accounts: options.accounts ?? accounts,
    scheduling: options.scheduling ?? scheduling,
    logger: createLogger("doctors", "silent"),
    bus,
  });

  return {
    url: running.url,
    db,
    prisma,
    accounts,
    scheduling,
    bus,
    workers: running.workers,
    queries,
    sql,
    async call(query, variables = {}, caller = "anonymous") {
      const headers: Record<string, string> = { "content-type": "application/json" };
      if (caller !== "noHeader") {
        const who = caller === "anonymous" ? { userId: null, role: null } : caller;
        headers[IDENTITY_HEADER] = await signIdentity({ ...who, requestId: randomUUID() }, TEST_ROUTER_SECRETS);
      }
      const res = await fetch(running.url, { method: "POST", headers, body: JSON.stringify({ query, variables }) });
      return { status: res.status, ...((await res.json()) as object) };
    },
    async stop() {
      await running.close();
      await bus.close();
      await prisma.$disconnect();
      await pool.end();
      await db.drop();
    },
  };
}

/** The `extensions.code` of the first error (or undefined). */
export const codeOf = (result: GraphQLResult) => result.errors?.[0]?.extensions?.code;

export const ADMIN: Caller = { userId: randomUUID(), role: "ADMIN" };
export const PATIENT: Caller = { userId: randomUUID(), role: "PATIENT" };
export const doctorCaller = (userId: string): Caller => ({ userId, role: "DOCTOR" });
