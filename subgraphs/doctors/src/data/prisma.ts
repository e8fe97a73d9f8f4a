/** The doctors subgraph's Prisma client (Rust-free, over `pg` through @prisma/adapter-pg). */
import { PrismaPg } from "@prisma/adapter-pg";
import { PRISMA_TRANSACTION_OPTIONS, constraintOf, sqlStateOf, SQLSTATE, type SqlPool } from "@clinigraph/platform";
import { PrismaClient, Prisma } from "../generated/prisma/client.js";

export { PrismaClient, Prisma };

/** Anything that runs queries: the client itself or an interactive transaction. */
export type Db = PrismaClient | Prisma.TransactionClient;

/** The client over the process's one connection pool, which the hand-written reads (doctorRepository.ts) share. */
export function createPrismaClient(pool: SqlPool): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg(pool), transactionOptions: PRISMA_TRANSACTION_OPTIONS });
}

/** Throws when the database does not answer (the server's /ready). */
export async function pingDatabase(prisma: PrismaClient): Promise<void> {
  await prisma.$queryRaw`SELECT 1`;
}

/**
 * True when `err` is a unique violation (SQLSTATE 23505) of a constraint on `column` (database name): the driver
 * names the constraint's columns ("user_id") or the constraint itself ("doctors_user_id_key").
 */
export function isUniqueViolation(err: unknown, column: string): boolean {
  if (sqlStateOf(err) !== SQLSTATE.UNIQUE_VIOLATION) return false;
  const constraint = constraintOf(err) ?? "";
  return constraint.split(",").includes(column) || constraint.endsWith(`_${column}_key`);
}
