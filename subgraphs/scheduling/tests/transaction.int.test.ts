/**
 * A real deadlock on PostgreSQL through Prisma: two transactions lock two rows in opposite orders; PostgreSQL
 * aborts one (40P01), platform's inTransaction runs it again, and both changes land.
 */
import { afterAll, beforeAll, expect, it } from "@jest/globals";
import { createTestDatabase, type TestDatabase } from "@clinigraph/testing";
import { createPrisma } from "../src/index.js";
import { inTransaction } from "@clinigraph/platform";
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
