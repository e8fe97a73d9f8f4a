import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "../generated/prisma/client.js";

export type { PrismaClient } from "../generated/prisma/client.js";
export { Prisma } from "../generated/prisma/client.js";

/**
 * Prisma's transactions (interactive ones, and the one a nested write such as a user with its patient runs in) may
 * wait up to 10 s for a pooled connection and run up to 10 s, as in the other subgraphs: its defaults (2 s, 5 s) turned
 * a burst of registrations under load into INTERNAL errors while the router still had seconds of deadline left.
 */
export function createPrisma(connectionString: string, poolSize = 10): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString, max: poolSize }), transactionOptions: { maxWait: 10_000, timeout: 10_000 } });
}

/** Readiness: the database answers. */
export async function checkDatabase(prisma: PrismaClient): Promise<void> {
  await prisma.$queryRaw`SELECT 1`;
}
