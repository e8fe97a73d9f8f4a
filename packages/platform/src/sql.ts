/**
 * Hand-written SQL over node-postgres, for the repositories on hot paths (a booking, a slot search), where Prisma's
 * client-side query interpretation costs more CPU than PostgreSQL spends answering. Statements are parameterised
 * (`$1`…), never concatenated; each repository states its row type next to its statement, and integration tests
 * on a real database check both.
 *
 * `sqlTransactions(pool)` is a `TransactionRunner` for `inTransaction`: BEGIN … COMMIT on one pooled connection,
 * ROLLBACK when the work throws, and `inTransaction` runs it again after a deadlock or a serialization failure.
 */
import pg from "pg";
import type { TransactionRunner } from "./transaction.js";
import { tracedPgClient, type Tracing } from "./tracing.js";

export type SqlPool = pg.Pool;
export type SqlConnection = pg.PoolClient;
export type SqlRow = pg.QueryResultRow;

/** What a repository needs: a pool (one statement, any connection) or one transaction's connection. */
export interface Sql {
  query<R extends SqlRow = SqlRow>(text: string, values?: readonly unknown[]): Promise<pg.QueryResult<R>>;
}

export interface SqlPoolOptions {
  /** Connections at most (default 20). */
  max?: number;
  /** How long a caller waits for a free connection, milliseconds (default 15 000: a burst queues, it does not fail). */
  connectionTimeoutMs?: number;
  /** With tracing on, every statement on the pool's connections is a span. */
  tracing?: Tracing;
}

export function createSqlPool(connectionString: string, options: SqlPoolOptions = {}): SqlPool {
  const pool = new PatientPool({
    connectionString,
    max: options.max ?? 20,
    connectionTimeoutMillis: options.connectionTimeoutMs ?? 15_000,
    ...(options.tracing?.enabled ? { Client: tracedPgClient(options.tracing) } : {}),
  });
  // An idle connection the server closed (restart, failover) is dropped from the pool; the next query opens another.
  pool.on("error", () => undefined);
  return pool;
}

/**
 * SQLSTATEs of a server that refuses a new connection for now: too_many_connections (53300: every slot of
 * max_connections is taken, e.g. while a deploy runs old and new pods side by side) and cannot_connect_now (57P03:
 * starting up or shutting down).
 */
const REFUSED_FOR_NOW: ReadonlySet<string> = new Set(["53300", "57P03"]);

/**
 * A pool that treats a server refusing a new connection for now like a pool with no free connection: it tries again
 * (25 ms, doubling up to 500 ms) until its connection timeout has passed, instead of failing the caller at once.
 */
class PatientPool extends pg.Pool {
  override connect(): Promise<pg.PoolClient>;
  override connect(callback: (err: Error | undefined, client: pg.PoolClient | undefined, done: (release?: unknown) => void) => void): void;
  override connect(
    callback?: (err: Error | undefined, client: pg.PoolClient | undefined, done: (release?: unknown) => void) => void,
  ): Promise<pg.PoolClient> | void {
    const connecting = this.connectPatiently();
    if (!callback) return connecting;
    connecting.then(
      (client) => callback(undefined, client, (release) => client.release(release as Error | boolean | undefined)),
      (err: Error) => callback(err, undefined, () => undefined),
    );
  }

  private async connectPatiently(): Promise<pg.PoolClient> {
    const giveUpAt = Date.now() + (this.options.connectionTimeoutMillis ?? 0);
    for (let wait = 25; ; wait = Math.min(wait * 2, 500)) {
      try {
        return await super.connect();
      } catch (err) {
        const left = giveUpAt - Date.now();
        if (!isRefusedForNow(err) || left <= 0 || this.ending) throw err;
        await new Promise((resolve) => setTimeout(resolve, Math.min(wait, left)));
      }
    }
  }
}

const isRefusedForNow = (err: unknown) => typeof (err as { code?: unknown } | null)?.code === "string" && REFUSED_FOR_NOW.has((err as { code: string }).code);

/**
 * The database cannot take the work now (every connection busy past the pool's timeout, or the server refusing new
 * ones), as node-postgres and Prisma's pg adapter report it: worth trying again shortly, not a fault of the request.
 */
const BUSY_MESSAGES = ["timeout exceeded when trying to connect", "Connection terminated due to connection timeout", "too many clients already"];

export function isDatabaseBusy(err: unknown): boolean {
  for (let e = err, depth = 0; e && typeof e === "object" && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const { code, meta, message } = e as { code?: unknown; meta?: { code?: unknown }; message?: unknown };
    if (isRefusedForNow(e) || (typeof meta?.code === "string" && REFUSED_FOR_NOW.has(meta.code))) return true;
    // Prisma: P2024 timed out fetching a connection from the pool; P2037 too many database connections opened.
    if (code === "P2024" || code === "P2037") return true;
    // node-postgres: no pooled connection freed in time; the server did not answer a new connection in time.
    if (typeof message === "string" && BUSY_MESSAGES.some((text) => message.includes(text))) return true;
  }
  return false;
}

/** Interactive transactions on `pool` for `inTransaction(sqlTransactions(pool), work)`. */
export function sqlTransactions(pool: SqlPool): TransactionRunner<SqlConnection> {
  return {
    async $transaction<T>(work: (tx: SqlConnection) => Promise<T>): Promise<T> {
      const connection = await pool.connect();
      let broken: Error | undefined;
      try {
        await connection.query("BEGIN");
        const result = await work(connection);
        await connection.query("COMMIT");
        return result;
      } catch (err) {
        try {
          await connection.query("ROLLBACK");
        } catch (rollbackFailed) {
          // The connection is unusable (server gone): it must not go back to the pool.
          broken = rollbackFailed instanceof Error ? rollbackFailed : new Error(String(rollbackFailed));
        }
        throw err;
      } finally {
        connection.release(broken);
      }
    },
  };
}
