/** The service's one connection pool (DATABASE_POOL_SIZE connections at most, 10 by default) and its readiness check. */
import { createSqlPool, type Sql, type SqlPool, type Tracing } from "@clinigraph/platform";

export function createDatabasePool(databaseUrl: string, poolSize = 10, tracing?: Tracing): SqlPool {
  return createSqlPool(databaseUrl, { max: poolSize, tracing });
}

/** Readiness: the database answers. */
export async function pingDatabase(db: Sql): Promise<void> {
  await db.query("SELECT 1");
}
