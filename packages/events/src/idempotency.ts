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

/** What the claims need of a connection: pg's clients and pools, and platform `Sql`. */
interface Statement {
  query(text: string, values?: unknown[]): Promise<{ rowCount: number | null; rows: unknown[] }>;
}

/**
 * Records that `consumer` handled `eventId` in `<schema>.processed_events`; true the first time, false for an event
 * recorded before. Call in the transaction of the event's effect (a concurrent duplicate waits on the row, then gets false).
 */
export async function claimEvent(db: Statement, schema: string, consumer: string, eventId: string): Promise<boolean> {
  const inserted = await db.query(`INSERT INTO ${quoteIdentifier(schema)}.processed_events (consumer, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [
    consumer,
    eventId,
  ]);
  return inserted.rowCount === 1;
}

/** `claimEvent` for a block of events in one statement: the ids recorded now (the others were handled before). */
export async function claimEvents(db: Statement, schema: string, consumer: string, eventIds: readonly string[]): Promise<Set<string>> {
  if (eventIds.length === 0) return new Set();
  // Sorted: two blocks sharing events take their rows' locks in one order.
  const ids = [...new Set(eventIds)].sort();
  const { rows } = await db.query(
    `INSERT INTO ${quoteIdentifier(schema)}.processed_events (consumer, event_id) SELECT $1, id FROM unnest($2::text[]) AS id
     ON CONFLICT DO NOTHING RETURNING event_id`,
    [consumer, ids],
  );
  return new Set((rows as { event_id: string }[]).map((row) => row.event_id));
}

export type RunOnceResult<T> = { ran: true; result: T } | { ran: false };

/** Records (consumer, eventId) and runs `effect` only if it was not recorded before. Call inside a transaction. */
export async function runOnce<T>(client: Queryable, schema: string, consumer: string, eventId: string, effect: () => Promise<T>): Promise<RunOnceResult<T>> {
  if (!(await claimEvent(client, schema, consumer, eventId))) return { ran: false };
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
