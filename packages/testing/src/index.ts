/**
 * Test support: every integration/e2e test file gets its own PostgreSQL database (unique name),
 * migrated with the committed migrations, and dropped afterwards. Tests never share data.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { applyMigrations, withDatabase } from "@clinigraph/platform/migrate";
import { DATABASE_SUBGRAPHS, migrateTarget, type BackgroundWorkers, type DatabaseSubgraph } from "@clinigraph/platform";

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(subgraphs: readonly (DatabaseSubgraph | (string & {}))[] = DATABASE_SUBGRAPHS): Promise<TestDatabase> {
  const name = `cg_test_${Date.now().toString(36)}_${randomBytes(4).toString("hex")}`;
  await admin(`CREATE DATABASE ${name}`);
  const url = withDatabase(TEST_DATABASE_URL, name);
  for (const subgraph of subgraphs) await applyMigrations(url, migrateTarget(subgraph));
  return { url, name, drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

async function admin(sql: string) {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Runs one SQL statement against a test database (fixtures and checks only; parameters as `$1`, `$2`…). */
export async function queryDatabase<T = Record<string, unknown>>(url: string, sql: string, params: readonly unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, [...params])).rows as T[];
  } finally {
    await client.end();
  }
}

/** One table's state: its row count and a digest of its rows (order-independent), so updates show too. */
export interface TableState {
  rows: number;
  digest: string;
}

/**
 * Every table of every schema of a database (system schemas aside), keyed `schema.table`, with its row
 * count and content digest: equal snapshots before and after a test mean it wrote nothing.
 */
export async function snapshotTables(url: string): Promise<Record<string, TableState>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const tables = (
      await client.query<{ schema: string; name: string }>(
        `SELECT table_schema AS schema, table_name AS name FROM information_schema.tables
          WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2`,
      )
    ).rows;
    const snapshot: Record<string, TableState> = {};
    for (const { schema, name } of tables) {
      const table = `${quoteIdent(schema)}.${quoteIdent(name)}`;
      const { rows } = await client.query<{ rows: number; digest: string }>(
        `SELECT count(*)::int AS rows, coalesce(md5(string_agg(md5(t::text), '' ORDER BY md5(t::text))), '') AS digest FROM ${table} t`,
      );
      snapshot[`${schema}.${name}`] = rows[0]!;
    }
    return snapshot;
  } finally {
    await client.end();
  }
}

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** A unique, valid e-mail per call: tests never collide on unique constraints. */
export const uniqueEmail = (prefix = "user") => `${prefix}.${Date.now().toString(36)}.${randomBytes(3).toString("hex")}@example.test`;

/** Fixed test secrets/keys (never used outside tests). */
export const TEST_ROUTER_SECRETS = ["test-router-secret-0123456789abcdef0123456789abcdef"];
export const TEST_DATA_KEYS = "t1:" + Buffer.alloc(32, 7).toString("base64");
export const TEST_BLIND_INDEX_KEY = Buffer.alloc(32, 9).toString("base64");

export { signIdentity } from "@clinigraph/platform";

export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string; [k: string]: unknown } }[];
}

export interface TestCaller {
  userId: string | null;
  role: import("@clinigraph/platform").Role | null;
}

/** Calls a subgraph as the router would: with a signed identity header for `caller` (anonymous when omitted). */
export async function callSubgraph<T = Record<string, unknown>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  caller: TestCaller | "unsigned" = { userId: null, role: null },
): Promise<GraphQLResponse<T>> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (caller !== "unsigned") {
    const { signIdentity: sign, IDENTITY_HEADER } = await import("@clinigraph/platform");
    headers[IDENTITY_HEADER] = await sign({ ...caller, requestId: "test" }, TEST_ROUTER_SECRETS);
  }
  const res = await fetch(url, { method: "POST", headers, body: JSON.stringify({ query, variables }) });
  const body = (await res.json()) as Omit<GraphQLResponse<T>, "status">;
  return { status: res.status, ...body };
}

/** Env for a subgraph under test: test secrets and keys, the given database. */
export interface TestEnv {
  NODE_ENV: string;
  DATABASE_URL: string;
  CLINIGRAPH_ROUTER_SECRETS: string;
  CLINIGRAPH_DATA_KEYS: string;
  CLINIGRAPH_BLIND_INDEX_KEY: string;
  [name: string]: string;
}

export const testEnv = (databaseUrl: string): TestEnv => ({
  NODE_ENV: "test",
  DATABASE_URL: databaseUrl,
  // A whole stack is six subgraphs, and test suites run side by side against one PostgreSQL (100 connections by
  // default): each subgraph under test holds a few connections, not the production pool.
  DATABASE_POOL_SIZE: "4",
  // No housekeeping rounds (each holds a connection of its own once it has run): the tests of housekeeping run rounds
  // themselves (runOnce), with the times they choose.
  EVENTS_HOUSEKEEPING_MINUTES: "0",
  CLINIGRAPH_ROUTER_SECRETS: TEST_ROUTER_SECRETS.join(","),
  CLINIGRAPH_DATA_KEYS: TEST_DATA_KEYS,
  CLINIGRAPH_BLIND_INDEX_KEY: TEST_BLIND_INDEX_KEY,
});

/**
 * Resolves when every event the given subgraphs' outboxes hold has been published and handled by their consumers,
 * including events those consumers wrote in turn (a saga): rounds of "publish every outbox, wait for every consumer
 * to be idle" until a round in which no outbox gained a row. `workers()` is asked each round (subgraphs may stop and
 * start between calls); leave stopped consumers out (their idle() refuses).
 */
export async function settleWorkers(workers: () => readonly BackgroundWorkers[]): Promise<void> {
  const written = async (all: readonly BackgroundWorkers[]) =>
    (await Promise.all(all.flatMap((w) => w.relays).map(async (relay) => (await relay.outboxState()).lastSequence))).join();
  for (;;) {
    const current = workers();
    const before = await written(current);
    for (const relay of current.flatMap((w) => w.relays))
      for (;;) {
        if ((await relay.publishPending()) > 0) continue;
        if ((await relay.outboxState()).unpublished === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 10)); // the relay's own loop holds the outbox lock right now
      }
    for (const consumer of current.flatMap((w) => w.consumers)) await consumer.idle();
    if ((await written(workers())) === before) return;
  }
}
export { startMailbox, type Mailbox, type ReceivedMail } from "./mailbox.js";
export { publishAndSettle, type TestEvent } from "./events.js";
export * from "./metrics.js";
export * from "./ports.js";
