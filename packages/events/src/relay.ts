/**
 * Outbox relay: moves rows of `<schema>.outbox` (written in the producer's own transactions) to the bus.
 * Each round, in ONE transaction: take the schema's advisory lock (one relay publishes a schema at a
 * time, so stream order = outbox sequence order), read the oldest unpublished rows, publish them in
 * sequence order as CloudEvents, mark them published. A failed publish leaves the rows unpublished
 * (at-least-once: consumers are idempotent). Wakes on `kick()` (after a commit in the same process) or
 * a PostgreSQL NOTIFY on `notifyChannel`, and polls every `intervalMs` as a fallback.
 *
 * Order per aggregate holds when the producer writes the aggregate's row before its outbox row in the
 * same transaction (the row lock then orders the outbox sequences of that aggregate).
 */
import pg from "pg";
import { createLogger, createSqlPool, type Logger, type ServiceMetrics } from "@clinigraph/platform";
import type { EventBus } from "./bus.js";
import { streamOf as catalogueStreamOf } from "./catalogue.js";
import type { EventEnvelope } from "./envelope.js";
import { quoteIdentifier } from "./idempotency.js";
import { observeOutbox, type OutboxStats } from "./metrics.js";

export interface OutboxRelayOptions {
  /**
   * The pool its rounds borrow a connection from (the subgraph's own: the relay then holds none between rounds), or
   * none: a pool of its own over `connectionString`, closed at stop. LISTEN (`notifyChannel`) always holds a
   * connection of its own, over `connectionString` when given.
   */
  pool?: pg.Pool;
  connectionString?: string;
  schema: string;
  table?: string;
  /** CloudEvents `source`, e.g. "clinigraph/scheduling". */
  source: string;
  bus: EventBus;
  /** Stream of an event type (default: the catalogue's; an unknown type stops the relay until fixed). */
  streamOf?: (type: string) => string;
  intervalMs?: number;
  batchSize?: number;
  /** LISTEN on this channel and publish as soon as a producer NOTIFYs it. */
  notifyChannel?: string;
  logger?: Logger;
  onPublished?: (events: EventEnvelope[]) => void;
  /** Report the outbox (backlog, oldest row's age, rows published, failed rounds) and the relay's own pool here. */
  metrics?: ServiceMetrics;
}

export interface OutboxRelay {
  /** Publish now (e.g. right after a commit) instead of waiting for the next poll. */
  kick(): void;
  /** One round: publishes up to `batchSize` rows; returns how many (0 when another relay holds the lock). */
  publishPending(): Promise<number>;
  /** The outbox as it is: rows not yet published, and the sequence of the last row ever written ("0": none). */
  outboxState(): Promise<{ unpublished: number; lastSequence: string }>;
  /** Rows not yet published and how long ago the oldest of them occurred (metrics). */
  outboxStats(): Promise<OutboxStats>;
  stop(): Promise<void>;
}

interface OutboxRow {
  id: string;
  sequence: string;
  aggregate_id: string;
  type: string;
  payload: unknown;
  occurred_at: Date;
  /** Absent in tables that predate it (the relay also serves tables it does not own, in tests). */
  traceparent?: string | null;
}

export function startOutboxRelay(options: OutboxRelayOptions): OutboxRelay {
  const { schema, source, bus, onPublished } = options;
  const table = `${quoteIdentifier(schema)}.${quoteIdentifier(options.table ?? "outbox")}`;
  const streamOf = options.streamOf ?? catalogueStreamOf;
  const intervalMs = options.intervalMs ?? 1000;
  const batchSize = options.batchSize ?? 100;
  const logger = (options.logger ?? createLogger("events")).child({ relay: schema });
  const pool = options.pool ?? createSqlPool(options.connectionString ?? "", { max: 2 });
  if (!options.pool) pool.on("error", (err) => logger.error({ err }, "outbox relay idle connection error"));
  // LISTEN keeps its connection for the relay's life: never one of a shared pool's.
  const listenPool = options.pool && options.connectionString && options.notifyChannel ? createSqlPool(options.connectionString, { max: 1 }) : pool;
  const lockKey = `clinigraph.outbox:${schema}.${options.table ?? "outbox"}`;

  const toEnvelope = (row: OutboxRow): EventEnvelope => ({
    specversion: "1.0",
    id: row.id,
    source,
    type: row.type,
    time: row.occurred_at.toISOString(),
    subject: row.aggregate_id,
    datacontenttype: "application/json",
    data: row.payload,
    sequence: row.sequence,
    ...(row.traceparent ? { traceparent: row.traceparent } : {}),
  });

  async function publishPending(): Promise<number> {
    const client = await pool.connect();
    try {
      await client.query("BEGIN");
      const lock = await client.query<{ locked: boolean }>("SELECT pg_try_advisory_xact_lock(hashtext($1)) AS locked", [lockKey]);
      if (!lock.rows[0]?.locked) {
        await client.query("ROLLBACK");
        return 0;
      }
      const { rows } = await client.query<OutboxRow>(
        `SELECT o.id::text, o.sequence::text, o.aggregate_id::text, o.type, o.payload, o.occurred_at, o.traceparent FROM ${table} o
         WHERE o.published_at IS NULL ORDER BY o.sequence LIMIT $1 FOR UPDATE SKIP LOCKED`, // o.sequence: the bigint, not the text
        [batchSize],
      );
      const envelopes = rows.map(toEnvelope);
      const byStream = new Map<string, EventEnvelope[]>();
      for (const envelope of envelopes) {
        const stream = streamOf(envelope.type);
        byStream.set(stream, [...(byStream.get(stream) ?? []), envelope]);
      }
      for (const [stream, events] of byStream) await bus.publish(stream, events);
      if (rows.length > 0) await client.query(`UPDATE ${table} SET published_at = now() WHERE id = ANY($1::uuid[])`, [rows.map((r) => r.id)]);
      await client.query("COMMIT");
      if (envelopes.length > 0) {
        observer?.published(envelopes.length);
        onPublished?.(envelopes);
      }
      return rows.length;
    } catch (err) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  async function outboxState() {
    const { rows } = await pool.query<{ unpublished: number; last: string }>(
      `SELECT count(*) FILTER (WHERE published_at IS NULL)::int AS unpublished, coalesce(max(sequence), 0)::text AS last FROM ${table}`,
    );
    return { unpublished: rows[0]!.unpublished, lastSequence: rows[0]!.last };
  }

  async function outboxStats(): Promise<OutboxStats> {
    // The (published_at, sequence) index holds the unpublished rows together: this reads only them.
    const { rows } = await pool.query<{ unpublished: number; age: number }>(
      `SELECT count(*)::int AS unpublished, greatest(0, coalesce(extract(epoch FROM now() - min(occurred_at)), 0))::float8 AS age
         FROM ${table} WHERE published_at IS NULL`,
    );
    return { unpublished: rows[0]!.unpublished, oldestUnpublishedAgeSeconds: rows[0]!.age };
  }
  const observer = options.metrics ? observeOutbox(options.metrics, schema, outboxStats) : undefined;
  // The connections the relay holds of its own: its pool, or (rounds on the subgraph's pool) its LISTEN connection.
  if (options.metrics && (!options.pool || listenPool !== pool)) options.metrics.observePool("outbox_relay", options.pool ? listenPool : pool);

  let stopped = false;
  let kicked = false;
  let wake: (() => void) | undefined;
  const kick = () => {
    kicked = true;
    wake?.();
  };
  const pause = () =>
    new Promise<void>((resolve) => {
      if (kicked || stopped) return resolve();
      const timer = setTimeout(() => wake?.(), intervalMs);
      wake = () => {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      };
    });

  async function loop() {
    while (!stopped) {
      kicked = false;
      let published = 0;
      try {
        published = await publishPending();
      } catch (err) {
        observer?.failed();
        logger.error({ err }, "outbox relay round failed; retrying");
      }
      if (published < batchSize) await pause();
    }
  }

  const listener = options.notifyChannel ? listen(options.notifyChannel) : undefined;
  async function listen(channel: string) {
    let client: pg.PoolClient | undefined;
    try {
      client = await listenPool.connect();
      client.on("notification", kick);
      client.on("error", (err) => logger.error({ err }, "outbox relay LISTEN connection lost; polling only"));
      await client.query(`LISTEN ${quoteIdentifier(channel)}`);
      return client;
    } catch (err) {
      logger.error({ err }, "outbox relay cannot LISTEN; polling only");
      client?.release(true);
      return undefined;
    }
  }

  const running = loop();
  return {
    kick,
    publishPending,
    outboxState,
    outboxStats,
    async stop() {
      stopped = true;
      observer?.stop();
      wake?.();
      await running;
      (await listener)?.release(true);
      if (listenPool !== pool) await listenPool.end();
      if (!options.pool) await pool.end();
    },
  };
}

/** The NOTIFY channel a subgraph's outbox writer signals at commit, and its relay listens on. */
export const outboxChannel = (service: string) => `clinigraph_outbox_${service}`;

/**
 * The relay of a subgraph's own outbox (`<service>.outbox`), as every subgraph runs it: events published as
 * `clinigraph/<service>` to their catalogue streams under the namespace, woken by the outbox's NOTIFY channel.
 */
export function startSubgraphRelay(options: {
  service: string;
  databaseUrl: string;
  /** The subgraph's pool, for the rounds (else the relay opens a pool of its own). */
  pool?: pg.Pool;
  namespace: string;
  bus: EventBus;
  logger: Logger;
  metrics?: ServiceMetrics;
}): OutboxRelay {
  return startOutboxRelay({
    connectionString: options.databaseUrl,
    pool: options.pool,
    schema: options.service,
    source: `clinigraph/${options.service}`,
    bus: options.bus,
    streamOf: (type) => options.namespace + catalogueStreamOf(type),
    notifyChannel: outboxChannel(options.service),
    logger: options.logger,
    metrics: options.metrics,
  });
}
