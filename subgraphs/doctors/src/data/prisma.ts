/** The doctors subgraph's Prisma client (Rust-free, over `pg` through @prisma/adapter-pg). */
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient, Prisma } from "../generated/prisma/client.js";

export { PrismaClient, Prisma };

/** Anything that runs queries: the client itself or an interactive transaction. */
export type Db = PrismaClient | Prisma.TransactionClient;

export function createPrismaClient(connectionString: string): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString }) });
}

/** True when `err` is a unique violation on a constraint whose columns include `column` (database name). */
export function isUniqueViolation(err: unknown, column: string): boolean {
  if (!(err instanceof Prisma.PrismaClientKnownRequestError) || err.code !== "P2002") return false;
  const meta = (err.meta ?? {}) as { target?: unknown; driverAdapterError?: { cause?: { constraint?: { fields?: unknown; index?: unknown } } } };
  const constraint = meta.driverAdapterError?.cause?.constraint;
  const fields = [meta.target, constraint?.fields].flatMap((value) => (Array.isArray(value) ? value : [value]));
  return fields.includes(column) || (typeof constraint?.index === "string" && constraint.index.includes(column));
}
