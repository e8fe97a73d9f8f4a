/**
 * Scheduling's Prisma schema (prisma/scheduling) describes its tables and migrates them, and its generated client is
 * what tests and benchmarks use to set up and check rows. The service itself reads and writes through hand-written
 * SQL (the repositories in this folder, over platform `Sql`): on the booking and search paths Prisma's client-side
 * query interpretation cost more CPU than PostgreSQL spent answering.
 */
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "../generated/prisma/client.js";

export type { PrismaClient } from "../generated/prisma/client.js";
export { Prisma } from "../generated/prisma/client.js";
import type { Prisma } from "../generated/prisma/client.js";

export type Tx = Prisma.TransactionClient;

export function createPrisma(connectionString: string, poolSize = 20): PrismaClient {
  return new PrismaClient({
    adapter: new PrismaPg({ connectionString, max: poolSize }),
    transactionOptions: { maxWait: 15_000, timeout: 15_000 },
  });
}
