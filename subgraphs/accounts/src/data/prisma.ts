import { PrismaPg } from "@prisma/adapter-pg";
import { PRISMA_TRANSACTION_OPTIONS, type SqlPool } from "@clinigraph/platform";
import { PrismaClient } from "../generated/prisma/client.js";

export type { PrismaClient } from "../generated/prisma/client.js";
export { Prisma } from "../generated/prisma/client.js";

/** The client, with the platform's transaction options (a user with its patient is a nested write: a transaction). */
/** Over a connection string (a pool of `poolSize` of its own), or over a pool the caller owns and ends. */
export function createPrisma(source: string | SqlPool, poolSize = 10): PrismaClient {
  const adapter = typeof source === "string" ? new PrismaPg({ connectionString: source, max: poolSize }) : new PrismaPg(source);
  return new PrismaClient({ adapter, transactionOptions: PRISMA_TRANSACTION_OPTIONS });
}

/** Readiness: the database answers. */
export async function checkDatabase(prisma: PrismaClient): Promise<void> {
  await prisma.$queryRaw`SELECT 1`;
}
