/**
 * Clinical's Prisma schema (prisma/clinical) describes its tables and migrates them, and its generated client is what
 * tests use to set up and check rows. The service itself reads and writes through hand-written SQL (the repositories
 * in this folder, over platform `Sql`): on the event consumers' paths Prisma's client-side query interpretation cost
 * more CPU than PostgreSQL spent answering. Given the service's pool, the client shares its connections.
 */
import { PrismaPg } from "@prisma/adapter-pg";
import { PRISMA_TRANSACTION_OPTIONS, type SqlPool } from "@clinigraph/platform";
import { PrismaClient } from "../generated/prisma/client.js";

export type { PrismaClient } from "../generated/prisma/client.js";
export { Prisma } from "../generated/prisma/client.js";

/** A client over `pool` (not closed by `$disconnect`: the pool's owner ends it), or over its own pool of `poolSize`. */
export function createPrisma(source: string | SqlPool, poolSize = 10): PrismaClient {
  const adapter = typeof source === "string" ? new PrismaPg({ connectionString: source, max: poolSize }) : new PrismaPg(source);
  return new PrismaClient({ adapter, transactionOptions: PRISMA_TRANSACTION_OPTIONS });
}
