/**
 * One way to run a database transaction in every subgraph: `inTransaction(prisma, work)` runs `work` in one
 * interactive transaction and runs it again (a few times, with jitter) when PostgreSQL aborted it for a
 * deadlock (SQLSTATE 40P01) or a serialization failure (40001) — both mean "nothing happened, try again".
 * Errors are recognised by their SQLSTATE (or Prisma's own code for the same, P2034), never by message text.
 */

/**
 * The transaction options of every subgraph's Prisma client (`new PrismaClient({ adapter, transactionOptions })`):
 * a transaction, interactive or the one a nested write runs in, may wait 10 s for a pooled connection and run 10 s.
 * Prisma's own defaults (2 s, 5 s) turned bursts under load into INTERNAL errors while the router's deadline (15 s)
 * still had seconds left. Long jobs (analytics' rollups) pass their own.
 */
export const PRISMA_TRANSACTION_OPTIONS = { maxWait: 10_000, timeout: 10_000 } as const;

/** SQLSTATEs after which the whole transaction may simply run again. */
export const RETRYABLE_SQLSTATES: ReadonlySet<string> = new Set(["40001", "40P01"]);
/** Prisma's "transaction failed due to a write conflict or a deadlock". */
const PRISMA_WRITE_CONFLICT = "P2034";

/**
 * The SQLSTATE of a database error, wherever the driver put it: node-postgres sets `code`; Prisma's driver
 * adapters wrap it in `meta.driverAdapterError.cause` (`code` / `originalCode`).
 */
export function sqlStateOf(err: unknown): string | undefined {
  const seen = new Set<unknown>();
  let current: unknown = err;
  while (current && typeof current === "object" && !seen.has(current)) {
    seen.add(current);
    const e = current as { code?: unknown; originalCode?: unknown; meta?: { driverAdapterError?: { cause?: unknown } }; cause?: unknown };
    for (const candidate of [e.originalCode, e.code]) if (typeof candidate === "string" && isSqlState(candidate)) return candidate;
    current = e.meta?.driverAdapterError?.cause ?? e.cause;
  }
  return undefined;
}

/** Five digits or capitals — but not Prisma's own codes (P1xxx–P6xxx), which share the form (PL/pgSQL's are P0xxx). */
const isSqlState = (code: string) => /^[0-9A-Z]{5}$/.test(code) && !/^P[1-9][0-9]{3}$/.test(code);

export function isRetryableTransactionError(err: unknown): boolean {
  if ((err as { code?: unknown } | null)?.code === PRISMA_WRITE_CONFLICT) return true;
  const state = sqlStateOf(err);
  return state !== undefined && RETRYABLE_SQLSTATES.has(state);
}

/** What `inTransaction` needs of a Prisma client: interactive transactions. */
export interface TransactionRunner<Tx> {
  $transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T>;
}

export interface TransactionOptions {
  /** Runs in all, the first included (default 4). */
  attempts?: number;
  /** Told of each retry (tests, logs). */
  onRetry?: (attempt: number, err: unknown) => void;
}

export async function inTransaction<Tx, T>(client: TransactionRunner<Tx>, work: (tx: Tx) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
  const attempts = options.attempts ?? 4;
  for (let attempt = 1; ; attempt++) {
    try {
      return await client.$transaction(work);
    } catch (err) {
      if (attempt >= attempts || !isRetryableTransactionError(err)) throw err;
      options.onRetry?.(attempt, err);
      await new Promise((resolve) => setTimeout(resolve, 5 * attempt + Math.random() * 20));
    }
  }
}

/** SQLSTATEs of integrity violations: unique (23505), exclusion (23P01), foreign key (23503), check (23514). */
export const SQLSTATE = { UNIQUE_VIOLATION: "23505", EXCLUSION_VIOLATION: "23P01", FOREIGN_KEY_VIOLATION: "23503", CHECK_VIOLATION: "23514" } as const;

/**
 * The name of the constraint (or unique index) a database error violated, wherever the driver put it:
 * node-postgres sets `constraint`; Prisma's driver adapters put `{ index }` or `{ fields }` in
 * `meta.driverAdapterError.cause.constraint`, and Prisma's own P2002 names the index or fields in `meta.target`.
 * Recognise a violation by this name (and sqlStateOf), never by the message.
 */
export function constraintOf(err: unknown): string | undefined {
  const seen = new Set<unknown>();
  let current: unknown = err;
  while (current && typeof current === "object" && !seen.has(current)) {
    seen.add(current);
    const e = current as {
      constraint?: unknown;
      meta?: { target?: unknown; driverAdapterError?: { cause?: unknown } };
      cause?: unknown;
    };
    if (typeof e.constraint === "string") return e.constraint;
    if (e.constraint && typeof e.constraint === "object") {
      const c = e.constraint as { index?: unknown; fields?: unknown };
      if (typeof c.index === "string") return c.index;
      if (Array.isArray(c.fields)) return c.fields.join(",");
    }
    if (typeof e.meta?.target === "string") return e.meta.target;
    if (Array.isArray(e.meta?.target)) return e.meta.target.join(",");
    current = e.meta?.driverAdapterError?.cause ?? e.cause;
  }
  return undefined;
}
