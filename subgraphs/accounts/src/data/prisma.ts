import { PrismaPg } from "@prisma/adapter-pg";
import { PRISMA_TRANSACTION_OPTIONS } from "@clinigraph/platform";
import { PrismaClient } from "../generated/prisma/client.js";

export type { PrismaClient } from "../generated/prisma/client.js";
export { Prisma } from "../generated/prisma/client.js";

/** The client, with the platform's transaction options (a user with its patient is a nested write: a transaction). */
export function createPrisma(connectionString: string, poolSize = 10): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString, max: poolSize }), transactionOptions: PRISMA_TRANSACTION_OPTIONS });
}

/** Readiness: the database answers. */
export async function checkDatabase(prisma: PrismaClient): Promise<void> {
  await prisma.$queryRaw`SELECT 1`;
}
