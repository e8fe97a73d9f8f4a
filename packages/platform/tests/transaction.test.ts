/** platform's inTransaction: which errors mean "run the transaction again", recognised by SQLSTATE, not text. */
import { describe, expect, it } from "@jest/globals";
import { inTransaction, isRetryableTransactionError, sqlStateOf } from "../src/transaction.js";

/** A deadlock as Prisma's pg driver adapter reports it (shape observed on PostgreSQL 15, Prisma 7). */
const prismaDeadlock = () =>
  Object.assign(new Error("Raw query failed."), {
    code: "P2010",
    meta: {
      driverAdapterError: { name: "DriverAdapterError", cause: { originalCode: "40P01", kind: "postgres", code: "40P01", message: "deadlock detected" } },
    },
  });

describe("retryable transaction errors", () => {
  it("finds the SQLSTATE where pg and Prisma's adapter put it", () => {
    expect(sqlStateOf(prismaDeadlock())).toBe("40P01");
    expect(sqlStateOf(Object.assign(new Error("x"), { code: "40001" }))).toBe("40001");
    expect(sqlStateOf(new Error("deadlock detected"))).toBeUndefined(); // the words alone are not a code
  });

  it("retries deadlocks, serialization failures and Prisma's write conflict; nothing else", () => {
    expect(isRetryableTransactionError(prismaDeadlock())).toBe(true);
    expect(isRetryableTransactionError(Object.assign(new Error("x"), { code: "40001" }))).toBe(true);
    expect(isRetryableTransactionError(Object.assign(new Error("x"), { code: "P2034" }))).toBe(true);
    expect(isRetryableTransactionError(Object.assign(new Error("x"), { code: "23505" }))).toBe(false); // unique violation
    expect(isRetryableTransactionError(new Error("could not serialize access"))).toBe(false);
  });

  it("runs the work again after a retryable failure, up to `attempts`, and passes other errors through at once", async () => {
    let runs = 0;
    const flaky = { $transaction: async <T>(work: (tx: string) => Promise<T>) => (++runs < 3 ? Promise.reject(prismaDeadlock()) : work("tx")) };
    const retries: number[] = [];
    expect(await inTransaction(flaky, async (tx) => `done in ${tx}`, { onRetry: (n) => retries.push(n) })).toBe("done in tx");
    expect(retries).toEqual([1, 2]);

    runs = 0;
    const always = { $transaction: async () => Promise.reject(prismaDeadlock()) };
    await expect(inTransaction(always, async () => 1, { attempts: 2 })).rejects.toMatchObject({ code: "P2010" });

    let failed = 0;
    const other = { $transaction: async () => (failed++, Promise.reject(Object.assign(new Error("dup"), { code: "23505" }))) };
    await expect(inTransaction(other, async () => 1)).rejects.toThrow("dup");
    expect(failed).toBe(1);
  });
});
