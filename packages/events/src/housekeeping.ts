/**
 * Housekeeping of the event machinery, so a long-running system does not grow without end (ADR 26). Every subgraph
 * runs it beside its relay and consumers (`startEventHousekeeping`); each round, on the subgraph's own schema and the
 * streams it publishes to:
 *
 * - **outbox**: rows published more than `outboxMs` ago are deleted. Unpublished rows never are, nor the newest row
 *   (it holds the sequence's high-water mark that `outboxState()` reports).
 * - **streams**: entries older than `streamMs` are trimmed (XTRIM MINID), but never one a consumer group has yet to
 *   be delivered or has not acknowledged (`EventBus.trim`). Dead-letter streams are left to their operator. The live
 *   feeds' `since` replay does not read these streams: each feed keeps its own capped history (live/).
 * - **processed events**: the ids consumers recorded for idempotency (`processed_events`) are forgotten after
 *   `processedMs`, which must be longer than `streamMs`: an event is still recognised as long as its stream entry could
 *   be delivered again.
 *
 * Deletes go in batches of `batchSize` rows, each batch one short statement that skips rows another instance holds
 * (FOR UPDATE SKIP LOCKED): two instances of a subgraph may run rounds at the same time without waiting on each other
 * or deleting anything twice. Time comes from `now`, so tests pass it explicitly.
 */
import { createLogger, createSqlPool, type Logger, type SqlPool } from "@clinigraph/platform";
import type { EventBus } from "./bus.js";
import { EVENT_SPECS, EVENT_TYPES } from "./catalogue.js";
import { quoteIdentifier } from "./idempotency.js";

/** A subgraph's settings (platform `readSubgraphBase`: EVENTS_*_RETENTION_HOURS, EVENTS_HOUSEKEEPING_MINUTES). */
export interface EventRetention {
  /** Published outbox rows are kept this long after publication. */
  outboxMs: number;
  /** Stream entries are kept this long (longer while a consumer group still needs them). */
  streamMs: number;
  /** Processed-event ids are kept this long; longer than `streamMs`. */
  processedMs: number;
  /** Time between two rounds; 0: no rounds. */
  intervalMs: number;
}

/** Rows one delete statement removes at most. */
export const HOUSEKEEPING_BATCH = 1000;

interface Statement {
  query(text: string, values?: unknown[]): Promise<{ rowCount: number | null; rows: unknown[] }>;
}

async function deleteInBatches(db: Statement, statement: string, values: unknown[], batchSize: number): Promise<number> {
  let total = 0;
  for (;;) {
    const { rowCount } = await db.query(statement, [...values, batchSize]);
    total += rowCount ?? 0;
    if ((rowCount ?? 0) < batchSize) return total;
  }
}

/** Deletes `<schema>.outbox` rows published before `before`, never an unpublished one nor the newest; returns how many. */
export function pruneOutbox(db: Statement, schema: string, before: Date, batchSize = HOUSEKEEPING_BATCH): Promise<number> {
  const table = `${quoteIdentifier(schema)}.outbox`;
  return deleteInBatches(
    db,
    `DELETE FROM ${table} WHERE id IN (
       SELECT id FROM ${table}
       WHERE published_at < $1 AND sequence < (SELECT max(sequence) FROM ${table})
       ORDER BY published_at LIMIT $2 FOR UPDATE SKIP LOCKED)`,
    [before],
    batchSize,
  );
}

/** Deletes `<schema>.processed_events` rows recorded before `before`; returns how many. */
export function pruneProcessedEvents(db: Statement, schema: string, before: Date, batchSize = HOUSEKEEPING_BATCH): Promise<number> {
  const table = `${quoteIdentifier(schema)}.processed_events`;
  return deleteInBatches(
    db,
    `DELETE FROM ${table} WHERE ctid = ANY(ARRAY(
       SELECT ctid FROM ${table} WHERE processed_at < $1 LIMIT $2 FOR UPDATE SKIP LOCKED))`,
    [before],
    batchSize,
  );
}

/** The streams a service publishes to: those of the catalogue's event types whose source it is. */
export function streamsOf(service: string, namespace = ""): string[] {
  const source = `clinigraph/${service}`;
  return [...new Set(EVENT_TYPES.filter((type) => EVENT_SPECS[type].source === source).map((type) => namespace + EVENT_SPECS[type].stream))];
}

export interface HousekeepingReport {
  outbox: number;
  processedEvents: number;
  streamEntries: number;
}

export interface HousekeepingOptions {
  db: Statement;
  /** The subgraph's schema: its `outbox` and `processed_events` are pruned where they exist. */
  schema: string;
  bus: EventBus;
  /** Streams to trim (`streamsOf(service, namespace)`). */
  streams: readonly string[];
  retention: Pick<EventRetention, "outboxMs" | "streamMs" | "processedMs">;
  batchSize?: number;
}

/** One round at `now`. */
export async function runHousekeeping(options: HousekeepingOptions, now: Date): Promise<HousekeepingReport> {
  const { db, schema, bus, retention } = options;
  const ago = (ms: number) => new Date(now.getTime() - ms);
  const { rows } = (await db.query(`SELECT to_regclass($1) IS NOT NULL AS outbox, to_regclass($2) IS NOT NULL AS processed`, [
    `${quoteIdentifier(schema)}.outbox`,
    `${quoteIdentifier(schema)}.processed_events`,
  ])) as { rows: { outbox: boolean; processed: boolean }[] };
  const tables = rows[0]!;
  const report: HousekeepingReport = { outbox: 0, processedEvents: 0, streamEntries: 0 };
  if (tables.outbox) report.outbox = await pruneOutbox(db, schema, ago(retention.outboxMs), options.batchSize);
  for (const stream of options.streams) report.streamEntries += await bus.trim(stream, ago(retention.streamMs));
  if (tables.processed) report.processedEvents = await pruneProcessedEvents(db, schema, ago(retention.processedMs), options.batchSize);
  return report;
}

export interface EventHousekeeping {
  /** One round now (or at `now`), besides the timer's. */
  runOnce(now?: Date): Promise<HousekeepingReport>;
  /** Stops the timer and waits for a round in flight. */
  stop(): Promise<void>;
}

/**
 * A subgraph's housekeeping: a round a minute after start (at most `intervalMs`), then every `intervalMs`, on a pool
 * of one connection of its own. A failed round is logged and tried again at the next.
 */
export function startEventHousekeeping(options: {
  service: string;
  databaseUrl: string;
  /** The subgraph's pool, for the rounds (else a pool of one connection of its own, closed at stop). */
  pool?: SqlPool;
  bus: EventBus;
  namespace: string;
  retention: EventRetention;
  logger?: Logger;
  clock?: () => Date;
}): EventHousekeeping {
  const logger = (options.logger ?? createLogger("events")).child({ housekeeping: options.service });
  const clock = options.clock ?? (() => new Date());
  const pool = options.pool ?? createSqlPool(options.databaseUrl, { max: 1 });
  if (!options.pool) pool.on("error", (err) => logger.warn({ err }, "housekeeping idle connection error"));
  const round: HousekeepingOptions = {
    db: pool,
    schema: options.service,
    bus: options.bus,
    streams: streamsOf(options.service, options.namespace),
    retention: options.retention,
  };
  let inFlight: Promise<unknown> = Promise.resolve();
  const runOnce = (now = clock()) => {
    const run = runHousekeeping(round, now);
    inFlight = run.catch(() => undefined);
    return run;
  };
  const interval = options.retention.intervalMs;
  let timer: NodeJS.Timeout | undefined;
  const schedule = (ms: number) => {
    timer = setTimeout(() => {
      void runOnce()
        .then((report) => {
          if (report.outbox + report.processedEvents + report.streamEntries > 0) logger.info(report, "event housekeeping");
        })
        .catch((err: unknown) => logger.warn({ err }, "event housekeeping failed; trying again at the next round"))
        .finally(() => {
          if (timer !== undefined) schedule(interval);
        });
    }, ms).unref();
  };
  if (interval > 0) schedule(Math.min(interval, 60_000));
  let stopped: Promise<void> | undefined;
  return {
    runOnce,
    stop: () =>
      (stopped ??= (async () => {
        clearTimeout(timer);
        timer = undefined;
        await inFlight;
        if (!options.pool) await pool.end();
      })()),
  };
}
