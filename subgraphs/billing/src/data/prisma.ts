/**
 * Billing's Prisma schema (prisma/billing) describes its tables and migrates them; its generated client is for tests
 * and tools that set up or check rows. The service itself reads and writes through hand-written SQL (the repositories
 * in this folder, over platform `Sql`): on the event paths Prisma's client-side query interpretation cost more CPU
 * than PostgreSQL spent answering. A client made here over the service's pool adds no connections.
 */
import { PrismaPg } from "@prisma/adapter-pg";
import type { SqlPool } from "@clinigraph/platform";
import { PrismaClient, type Prisma } from "../generated/prisma/client.js";

export type { PrismaClient, Prisma };

/** A Prisma client over `pool` (shared), or over a pool of its own for `connectionString`. */
export function createPrisma(connection: SqlPool | string, poolSize = 10): PrismaClient {
  const adapter = typeof connection === "string" ? new PrismaPg({ connectionString: connection, max: poolSize }) : new PrismaPg(connection);
  return new PrismaClient({ adapter });
}
