/**
 * Idempotent event handling: a consumer records each processed event id in its OWN schema, in the
 * same transaction as the effect, so an event delivered twice (at-least-once) has one effect.
 *
 * With pg:
 *   await withTransaction(pool, (client) => runOnce(client, "clinical", "clinical", event.id, () => effect(client)));
 *
 * With Prisma (add a `ProcessedEvent` model mapped to `<schema>.processed_events` in a migration):
 *   await prisma.$transaction(async (tx) => {
 *     const fresh = await tx.$executeRaw`INSERT INTO clinical.processed_events (consumer, event_id)
 *       VALUES (${consumer}, ${event.id}) ON CONFLICT DO NOTHING`;
 *     if (fresh === 0) return; // already processed
 *     ...effect through tx...
 *   });
 * A concurrent duplicate blocks on the primary key until the first transaction ends, then does nothing.
 */
import type pg from "pg";

type Queryable = Pick<pg.ClientBase, "query">;

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

export function quoteIdentifier(name: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`Invalid SQL identifier: ${name}`);
  return `"${name}"`;
}

export function processedEventsTableSql(schema: string): string {
  return `CREATE TABLE IF NOT EXISTS ${quoteIdentifier(schema)}.processed_events (
  consumer text NOT NULL,
  event_id text NOT NULL,
  processed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer, event_id)
)`;
}

export type RunOnceResult<T> = { ran: true; result: T } | { ran: false };

/** Records (consumer, eventId) and runs `effect` only if it was not recorded before. Call inside a transaction. */
export async function runOnce<T>(client: Queryable, schema: string, consumer: string, eventId: string, effect: () => Promise<T>): Promise<RunOnceResult<T>> {
  const inserted = await client.query(`INSERT INTO ${quoteIdentifier(schema)}.processed_events (consumer, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [
    consumer,
    eventId,
  ]);
  if (inserted.rowCount === 0) return { ran: false };
  return { ran: true, result: await effect() };
}

/** Runs `work` in a transaction on a pooled connection (COMMIT on success, ROLLBACK on error). */
export async function withTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const result = await work(client);
    await client.query("COMMIT");
    return result;
  } catch (err) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}
