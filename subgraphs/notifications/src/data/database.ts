/** The service's one connection pool (DATABASE_POOL_SIZE connections at most, 10 by default) and its readiness check. */
import { createSqlPool, type Sql, type SqlPool } from "@clinigraph/platform";

export function createDatabasePool(databaseUrl: string, poolSize = 10): SqlPool {
  return createSqlPool(databaseUrl, { max: poolSize });
}

/** Readiness: the database answers. */
export async function pingDatabase(db: Sql): Promise<void> {
  await db.query("SELECT 1");
}
