/**
 * Event housekeeping (ADR 26) on real PostgreSQL (a throwaway database with the billing schema: an outbox and a
 * processed_events table) and Redis. Time is explicit: rows are written with the times they claim, and each prune or
 * trim is given its `now` or cut-off.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "@jest/globals";
import { randomBytes, randomUUID } from "node:crypto";
import pg from "pg";
import { createClient } from "redis";
import { createLogger, createSqlPool } from "@clinigraph/platform";
import { createTestDatabase, type TestDatabase } from "@clinigraph/testing";
import {
  createRedisEventBus,
  pruneOutbox,
  pruneProcessedEvents,
  runHousekeeping,
  streamsOf,
  STREAMS,
  type EventBus,
  type EventRetention,
} from "../src/index.js";
import { MemoryStreamLog } from "../src/memory.js";
import { RedisStreamLog } from "../src/redis.js";
import type { StreamLog } from "../src/log.js";

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const DAY = 86_400_000;
const NOW = new Date("2031-05-20T12:00:00Z");
const daysAgo = (days: number) => new Date(NOW.getTime() - days * DAY);
const RETENTION: Omit<EventRetention, "intervalMs"> = { outboxMs: 7 * DAY, streamMs: 7 * DAY, processedMs: 30 * DAY };

let db: TestDatabase;
let pool: pg.Pool;
const redis = createClient({ url: REDIS_URL });
let bus: EventBus;
let prefix: string;

beforeAll(async () => {
  db = await createTestDatabase(["billing"]);
  pool = createSqlPool(db.url, { max: 4 });
  await redis.connect();
  bus = await createRedisEventBus({ url: REDIS_URL, logger: createLogger("test", "silent") });
});
afterAll(async () => {
  for await (const keys of redis.scanIterator({ MATCH: "test.housekeeping.*", COUNT: 100 })) if (keys.length > 0) await redis.del(keys);
  await bus?.close();
  await redis.close();
  await pool?.end();
  await db?.drop();
});
beforeEach(async () => {
  prefix = `test.housekeeping.${randomBytes(6).toString("hex")}.`;
  await pool.query("DELETE FROM billing.outbox");
  await pool.query("DELETE FROM billing.processed_events");
});

/** Outbox rows in sequence order; `publishedAt` null: not published yet. */
async function outboxRows(publishedAt: (Date | null)[]): Promise<string[]> {
  const ids: string[] = [];
  for (const published of publishedAt) {
    const id = randomUUID();
    await pool.query(`INSERT INTO billing.outbox (id, aggregate_id, type, payload, occurred_at, published_at) VALUES ($1, $2, 'InvoiceIssued', '{}', $3, $4)`, [
      id,
      randomUUID(),
      published ?? daysAgo(20),
      published,
    ]);
    ids.push(id);
  }
  return ids;
}

const remainingOutbox = async () => (await pool.query<{ id: string }>("SELECT id::text FROM billing.outbox ORDER BY sequence")).rows.map((r) => r.id);

describe("outbox", () => {
  it("deletes published rows past the retention, in batches, and never an unpublished one or the newest", async () => {
    const [, , unpublishedOld, recent, , unpublished, newestOld] = await outboxRows([
      daysAgo(9),
      daysAgo(8),
      null,
      daysAgo(1),
      daysAgo(30),
      null,
      daysAgo(10), // the newest row: it keeps the sequence's high-water mark
    ]);
    expect(await pruneOutbox(pool, "billing", daysAgo(7), 2)).toBe(3);
    expect(await remainingOutbox()).toEqual([unpublishedOld, recent, unpublished, newestOld]);
    expect(await pruneOutbox(pool, "billing", daysAgo(7), 2)).toBe(0);
  });

  it("lets two instances prune at once without waiting on each other's rows or deleting one twice", async () => {
    await outboxRows(Array.from({ length: 60 }, (_, i) => daysAgo(8 + i / 100)));
    await outboxRows([daysAgo(0.5)]);
    // A row held by someone else (a long transaction) is skipped, not waited for.
    const holder = await pool.connect();
    try {
      await holder.query("BEGIN");
      const { rows } = await holder.query<{ id: string }>("SELECT id::text FROM billing.outbox ORDER BY sequence LIMIT 1 FOR UPDATE");
      const other = createSqlPool(db.url, { max: 1 });
      try {
        const [first, second] = await Promise.all([pruneOutbox(pool, "billing", daysAgo(7), 5), pruneOutbox(other, "billing", daysAgo(7), 5)]);
        expect(first + second).toBe(59);
      } finally {
        await other.end();
      }
      expect(await remainingOutbox()).toEqual([rows[0]!.id, expect.any(String)]);
    } finally {
      await holder.query("ROLLBACK");
      holder.release();
    }
  });
});

describe("processed events", () => {
  it("forgets ids recorded before the cut-off and keeps the rest", async () => {
    const recorded = (consumer: string, at: Date) =>
      pool.query("INSERT INTO billing.processed_events (consumer, event_id, processed_at) VALUES ($1, $2, $3)", [consumer, randomUUID(), at]);
    await recorded("billing-appointments", daysAgo(31));
    await recorded("billing-clinical", daysAgo(45));
    await recorded("billing-appointments", daysAgo(29));
    await recorded("billing-clinical", daysAgo(1));
    expect(await pruneProcessedEvents(pool, "billing", daysAgo(30), 1)).toBe(2);
    const { rows } = await pool.query<{ processed_at: Date }>("SELECT processed_at FROM billing.processed_events ORDER BY processed_at");
    expect(rows.map((r) => r.processed_at)).toEqual([daysAgo(29), daysAgo(1)]);
  });
});

/**
 * The stream trim, the same on both logs: entries go only when older than the cut-off AND handled by every group —
 * delivered (at or before the group's last-delivered id) and acknowledged (before its oldest pending entry).
 */
describe.each([
  ["Redis", () => new RedisStreamLog(redis, createLogger("test", "silent"))],
  ["in process", () => new MemoryStreamLog()],
])("stream trim (%s)", (_name, makeLog: () => StreamLog) => {
  const ids = async (log: StreamLog, stream: string) => (await log.range(stream)).map((entry) => entry.fields.n);
  const append = (log: StreamLog, stream: string, count: number) =>
    log.append(
      stream,
      Array.from({ length: count }, (_, i) => ({ n: String(i + 1) })),
    );
  const later = () => new Date(Date.now() + DAY); // every entry appended so far is older than this

  it("keeps what a group has not been delivered or not acknowledged", async () => {
    const log = makeLog();
    const stream = `${prefix}appointments`;
    await append(log, stream, 10);
    const a = await log.openGroup(stream, "group-a", "a-1");
    const b = await log.openGroup(stream, "group-b", "b-1");
    try {
      const readByA = await a.readNew(6, 10); // 1–6 delivered to A
      await a.ack(readByA.slice(0, 4).map((e) => e.id)); // 5 and 6 pending
      await b.ack((await b.readNew(2, 10)).map((e) => e.id)); // B: 1–2 handled, 3–10 not delivered yet

      // Entries old enough, but B's last delivered is 2: only 1 may go.
      expect(await log.trim(stream, later())).toBe(1);
      expect(await ids(log, stream)).toEqual(["2", "3", "4", "5", "6", "7", "8", "9", "10"]);

      await b.ack((await b.readNew(20, 10)).map((e) => e.id)); // B has handled everything; A's oldest pending is 5
      expect(await log.trim(stream, later())).toBe(3);
      expect(await ids(log, stream)).toEqual(["5", "6", "7", "8", "9", "10"]);

      await a.ack(readByA.slice(4).map((e) => e.id));
      await a.ack((await a.readNew(20, 10)).map((e) => e.id)); // both groups have handled 1–10
      expect(await log.trim(stream, later())).toBe(5); // the last delivered entry stays (like XTRIM MINID at it)
      expect(await ids(log, stream)).toEqual(["10"]);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it("keeps handled entries younger than the cut-off", async () => {
    const log = makeLog();
    const stream = `${prefix}clinical`;
    await append(log, stream, 5);
    const a = await log.openGroup(stream, "group-a", "a-1");
    try {
      await a.ack((await a.readNew(5, 10)).map((e) => e.id));
      expect(await log.trim(stream, new Date(Date.now() - 3_600_000))).toBe(0);
      expect(await ids(log, stream)).toHaveLength(5);
    } finally {
      await a.close();
    }
  });

  it("trims a stream without groups by age alone, and a stream that does not exist is no error", async () => {
    const log = makeLog();
    const stream = `${prefix}doctors`;
    await append(log, stream, 4);
    expect(await log.trim(stream, new Date(Date.now() - 3_600_000))).toBe(0);
    expect(await log.trim(stream, later())).toBe(4);
    expect(await log.trim(`${prefix}nowhere`, later())).toBe(0);
  });
});

describe("a housekeeping round", () => {
  it("prunes the outbox and processed events and trims the service's streams, each by its own retention", async () => {
    expect(streamsOf("billing", prefix)).toEqual([`${prefix}${STREAMS.billing}`]);
    const stream = streamsOf("billing", prefix)[0]!;
    await redis.xAdd(stream, "*", { envelope: "{}" });
    await redis.xAdd(stream, "*", { envelope: "{}" });
    await outboxRows([daysAgo(8), daysAgo(6), daysAgo(8), daysAgo(1)]);
    await pool.query("INSERT INTO billing.processed_events (consumer, event_id, processed_at) VALUES ('c', 'old', $1), ('c', 'new', $2)", [
      daysAgo(31),
      daysAgo(8),
    ]);

    // NOW is years after the entries were appended: every stream entry is past the stream retention.
    const report = await runHousekeeping({ db: pool, schema: "billing", bus, streams: [stream], retention: RETENTION }, NOW);
    expect(report).toEqual({ outbox: 2, processedEvents: 1, streamEntries: 2 });
    expect(await redis.xLen(stream)).toBe(0);
    expect((await pool.query("SELECT event_id FROM billing.processed_events")).rows).toEqual([{ event_id: "new" }]);
  });

  it("leaves a schema's missing tables alone", async () => {
    const report = await runHousekeeping({ db: pool, schema: "scheduling", bus, streams: [], retention: RETENTION }, NOW);
    expect(report).toEqual({ outbox: 0, processedEvents: 0, streamEntries: 0 });
  });
});
