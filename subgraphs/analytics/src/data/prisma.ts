/** The analytics subgraph's Prisma client (over `pg` through @prisma/adapter-pg). */
import { PrismaPg } from "@prisma/adapter-pg";
import type { SqlPool } from "@clinigraph/platform";
import { PrismaClient, type Prisma } from "../generated/prisma/client.js";

export type { PrismaClient, Prisma };
/** An interactive transaction. */
export type Tx = Prisma.TransactionClient;

export function createPrisma(connectionString: string, poolSize = 10): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString, max: poolSize }), transactionOptions: { maxWait: 10_000, timeout: 10_000 } });
}

/** The client over the process's connection pool, which the hand-written fact writes (factRepository.ts) share. */
export function createPrismaOnPool(pool: SqlPool): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg(pool), transactionOptions: { maxWait: 10_000, timeout: 10_000 } });
}
