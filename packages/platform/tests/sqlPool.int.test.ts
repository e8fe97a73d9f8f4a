/**
 * createSqlPool on a real PostgreSQL that refuses new connections (SQLSTATE 53300, as when max_connections is
 * reached): the pool tries again until its connection timeout, so a caller waits for a slot instead of failing; past
 * the timeout the refusal reaches the caller, and the GraphQL error formatter answers it as SERVICE_UNAVAILABLE.
 * The server is made full for one role only (a role with CONNECTION LIMIT 1), not for the machine.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { createErrorFormatter, createLogger, createSqlPool, isDatabaseBusy } from "@clinigraph/platform";
import { TEST_DATABASE_URL, queryDatabase } from "@clinigraph/testing";

const role = `cg_busy_${randomBytes(4).toString("hex")}`;
const asRole = () => {
  const url = new URL(TEST_DATABASE_URL);
  url.username = role;
  url.password = "";
  return url.toString();
};
const admin = (sql: string) => queryDatabase(TEST_DATABASE_URL, sql);

beforeAll(() => admin(`CREATE ROLE ${role} LOGIN CONNECTION LIMIT 1`));
afterAll(() => admin(`DROP ROLE IF EXISTS ${role}`));

/** Holds the role's one connection: the server refuses the role any other until it is released. */
async function holdTheOnlySlot() {
  const holder = new pg.Client({ connectionString: asRole() });
  await holder.connect();
  return holder;
}

describe("a pool meeting a full server", () => {
  it("waits for a slot and runs the query once one is free", async () => {
    const holder = await holdTheOnlySlot();
    const pool = createSqlPool(asRole(), { max: 1, connectionTimeoutMs: 10_000 });
    try {
      let answered = false;
      const query = pool.query<{ one: number }>("SELECT 1 AS one").then((result) => {
        answered = true;
        return result;
      });
      // Refused at first (the proof: a plain client is refused now too), and still waiting.
      const refused = await new pg.Client({ connectionString: asRole() }).connect().then(
        () => null,
        (err: unknown) => err,
      );
      expect((refused as { code?: string }).code).toBe("53300");
      expect(answered).toBe(false);
      await holder.end();
      expect((await query).rows).toEqual([{ one: 1 }]);
      // pool.connect (the form transactions use) gets a client too.
      const client = await pool.connect();
      expect((await client.query<{ two: number }>("SELECT 2 AS two")).rows).toEqual([{ two: 2 }]);
      client.release();
    } finally {
      await pool.end();
      await holder.end().catch(() => undefined);
    }
  });

  it("past its connection timeout gives the refusal to the caller, which the error formatter answers as SERVICE_UNAVAILABLE", async () => {
    const holder = await holdTheOnlySlot();
    const pool = createSqlPool(asRole(), { max: 1, connectionTimeoutMs: 1_500 });
    try {
      const started = Date.now();
      const err = await pool.query("SELECT 1").then(
        () => null,
        (e: unknown) => e,
      );
      expect(Date.now() - started).toBeGreaterThanOrEqual(1_490);
      // The server's refusal of the last try; on a machine too busy to answer that try within the time left, the
      // pool's own connection timeout. Either is the database being busy.
      const { code, message } = err as { code?: string; message?: string };
      expect(code === "53300" || message === "Connection terminated due to connection timeout").toBe(true);
      expect(isDatabaseBusy(err)).toBe(true);
      const format = createErrorFormatter(createLogger("test", "silent"));
      expect(format({ message: "x", path: ["slots"] }, err)).toEqual({
        message: "The service is busy; try again in a moment",
        path: ["slots"],
        extensions: { code: "SERVICE_UNAVAILABLE", retryAfter: 1 },
      });
    } finally {
      await pool.end();
      await holder.end();
    }
  });

  it("any other connection failure reaches the caller at once", async () => {
    const url = new URL(asRole());
    url.pathname = `/cg_no_such_database_${randomBytes(4).toString("hex")}`;
    const pool = createSqlPool(url.toString(), { max: 1, connectionTimeoutMs: 10_000 });
    try {
      const started = Date.now();
      const err = await pool.query("SELECT 1").then(
        () => null,
        (e: unknown) => e,
      );
      expect((err as { code?: string }).code).toBe("3D000"); // invalid_catalog_name
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(isDatabaseBusy(err)).toBe(false);
    } finally {
      await pool.end();
    }
  });
});
