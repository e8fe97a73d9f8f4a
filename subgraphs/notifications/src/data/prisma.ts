/**
 * The notifications subgraph's Prisma schema (prisma/notifications) describes its tables and migrates them; its
 * generated client is for tests and tools that set up and check rows. The service itself reads and writes through
 * hand-written SQL (the repositories in this folder, over platform `Sql`): on the event intake Prisma's client-side
 * query interpretation cost more CPU than PostgreSQL spent answering. Given the service's pool, the client shares
 * its connections.
 */
import { PrismaPg } from "@prisma/adapter-pg";
import { PRISMA_TRANSACTION_OPTIONS, type SqlPool } from "@clinigraph/platform";
import { PrismaClient, type Prisma } from "../generated/prisma/client.js";

export type { PrismaClient, Prisma };
/** An interactive transaction. */
export type Tx = Prisma.TransactionClient;

export function createPrisma(database: string | SqlPool, poolSize = 10): PrismaClient {
  const adapter = typeof database === "string" ? new PrismaPg({ connectionString: database, max: poolSize }) : new PrismaPg(database);
  return new PrismaClient({ adapter, transactionOptions: PRISMA_TRANSACTION_OPTIONS });
}
