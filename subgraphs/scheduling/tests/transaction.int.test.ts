/**
 * A real deadlock on PostgreSQL, through Prisma and through the SQL transactions scheduling's unit of work runs on:
 * two transactions lock two rows in opposite orders; PostgreSQL aborts one (40P01), platform's inTransaction runs it
 * again, and both changes land. A transaction whose work throws is rolled back and its connection reused.
 */
import { afterAll, beforeAll, expect, it } from "@jest/globals";
import { createTestDatabase, type TestDatabase } from "@clinigraph/testing";
import { createPrisma } from "../src/index.js";
import { createSqlPool, inTransaction, sqlTransactions, type SqlConnection } from "@clinigraph/platform";
import type { PrismaClient, Tx } from "../src/data/prisma.js";

let db: TestDatabase;
let prisma: PrismaClient;
beforeAll(async () => {
  db = await createTestDatabase(["scheduling"]);
  prisma = createPrisma(db.url);
  await prisma.$executeRawUnsafe("CREATE TABLE scheduling.deadlock_probe (id int PRIMARY KEY, v int NOT NULL)");
  await prisma.$executeRawUnsafe("INSERT INTO scheduling.deadlock_probe VALUES (1, 0), (2, 0)");
});
afterAll(async () => {
  await prisma?.$disconnect();
  await db?.drop();
});

it("retries the transaction PostgreSQL aborted for a deadlock; both transactions commit", async () => {
  // Both transactions hold their first row before either asks for its second: a deadlock on the first run.
  let holding = 0;
  let bothHold!: () => void;
  const barrier = new Promise<void>((resolve) => (bothHold = resolve));
  const retries: number[] = [];
  const cross = (first: number, second: number) =>
    inTransaction<Tx, void>(
      prisma,
      async (tx) => {
        await tx.$executeRaw`UPDATE scheduling.deadlock_probe SET v = v + 1 WHERE id = ${first}`;
        if (++holding === 2) bothHold();
        await barrier;
        await tx.$executeRaw`UPDATE scheduling.deadlock_probe SET v = v + 1 WHERE id = ${second}`;
      },
      { onRetry: (attempt) => retries.push(attempt) },
    );
  await Promise.all([cross(1, 2), cross(2, 1)]);
  expect(retries.length).toBeGreaterThanOrEqual(1);
  const rows = await prisma.$queryRaw<{ id: number; v: number }[]>`SELECT id, v FROM scheduling.deadlock_probe ORDER BY id`;
  expect(rows).toEqual([
    { id: 1, v: 2 },
    { id: 2, v: 2 },
  ]);
});

it("SQL transactions: the same deadlock is retried and both commit; work that throws is rolled back", async () => {
  const pool = createSqlPool(db.url, { max: 4 });
  try {
    await pool.query("UPDATE scheduling.deadlock_probe SET v = 0");
    const transactions = sqlTransactions(pool);
    let holding = 0;
    let bothHold!: () => void;
    const barrier = new Promise<void>((resolve) => (bothHold = resolve));
    const retries: number[] = [];
    const cross = (first: number, second: number) =>
      inTransaction<SqlConnection, void>(
        transactions,
        async (tx) => {
          await tx.query("UPDATE scheduling.deadlock_probe SET v = v + 1 WHERE id = $1", [first]);
          if (++holding === 2) bothHold();
          await barrier;
          await tx.query("UPDATE scheduling.deadlock_probe SET v = v + 1 WHERE id = $1", [second]);
        },
        { onRetry: (attempt) => retries.push(attempt) },
      );
    await Promise.all([cross(1, 2), cross(2, 1)]);
    expect(retries.length).toBeGreaterThanOrEqual(1);

    const failed = inTransaction<SqlConnection, void>(transactions, async (tx) => {
      await tx.query("UPDATE scheduling.deadlock_probe SET v = 100 WHERE id = 1");
      throw new Error("the work failed");
    });
    await expect(failed).rejects.toThrow("the work failed");
    const { rows } = await pool.query<{ id: number; v: number }>("SELECT id, v FROM scheduling.deadlock_probe ORDER BY id");
    expect(rows).toEqual([
      { id: 1, v: 2 },
      { id: 2, v: 2 },
    ]);
    // Every connection went back to the pool, none of them inside a transaction.
    expect(pool.idleCount).toBe(pool.totalCount);
    const { rows: states } = await pool.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND state = 'idle in transaction'",
    );
    expect(states[0]!.n).toBe(0);
  } finally {
    await pool.end();
  }
});
