/** The analytics subgraph's Prisma client (over `pg` through @prisma/adapter-pg). */
import { PrismaPg } from "@prisma/adapter-pg";
import { PRISMA_TRANSACTION_OPTIONS, type SqlPool } from "@clinigraph/platform";
import { PrismaClient, type Prisma } from "../generated/prisma/client.js";

export type { PrismaClient, Prisma };
/** An interactive transaction. */
export type Tx = Prisma.TransactionClient;

/**
 * The client over a pool of its own for `connection` (a connection string: the CLIs), or over the process's pool,
 * which the hand-written fact writes (factRepository.ts) share.
 */
export function createPrisma(connection: SqlPool | string, poolSize = 10): PrismaClient {
  const adapter = typeof connection === "string" ? new PrismaPg({ connectionString: connection, max: poolSize }) : new PrismaPg(connection);
  return new PrismaClient({ adapter, transactionOptions: PRISMA_TRANSACTION_OPTIONS });
}
