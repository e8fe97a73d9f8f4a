/** The analytics subgraph's Prisma client (over `pg` through @prisma/adapter-pg). */
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient, type Prisma } from "../generated/prisma/client.js";

export type { PrismaClient, Prisma };
/** An interactive transaction. */
export type Tx = Prisma.TransactionClient;

export function createPrisma(connectionString: string, poolSize = 10): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString, max: poolSize }), transactionOptions: { maxWait: 10_000, timeout: 10_000 } });
}
