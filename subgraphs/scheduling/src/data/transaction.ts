import type { PrismaClient, Tx } from "./prisma.js";

const RETRYABLE = /40P01|40001|deadlock detected|could not serialize/i;

/**
 * Runs `work` in one transaction, retrying (a few times, with jitter) when PostgreSQL aborts it for a
 * deadlock or a serialization failure — both mean "nothing happened, try again".
 */
export async function inTransaction<T>(prisma: PrismaClient, work: (tx: Tx) => Promise<T>, attempts = 4): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await prisma.$transaction(work);
    } catch (err) {
      const text = `${(err as { code?: string }).code ?? ""} ${err instanceof Error ? err.message : ""}`;
      if (attempt >= attempts || !RETRYABLE.test(text)) throw err;
      await new Promise((resolve) => setTimeout(resolve, 5 * attempt + Math.random() * 20));
    }
  }
}
