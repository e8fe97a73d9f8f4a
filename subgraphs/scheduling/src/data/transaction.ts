/** Scheduling's transactions: platform's `inTransaction` (retries deadlocks and serialization failures), typed for its Prisma client. */
import { inTransaction as runInTransaction, type TransactionOptions } from "@clinigraph/platform";
import type { PrismaClient, Tx } from "./prisma.js";

export const inTransaction = <T>(prisma: PrismaClient, work: (tx: Tx) => Promise<T>, options?: TransactionOptions): Promise<T> =>
  runInTransaction<Tx, T>(prisma, work, options);
