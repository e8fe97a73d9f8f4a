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
  const pool = new pg.Pool({
    connectionString,
    max: options.max ?? 20,
    connectionTimeoutMillis: options.connectionTimeoutMs ?? 15_000,
    ...(options.tracing?.enabled ? { Client: tracedPgClient(options.tracing) } : {}),
  });
  // An idle connection the server closed (restart, failover) is dropped from the pool; the next query opens another.
  pool.on("error", () => undefined);
  return pool;
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
