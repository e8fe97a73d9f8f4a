/**
 * Outbox relay against real PostgreSQL (a throwaway database with the scheduling schema) and Redis.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "@jest/globals";
import { randomBytes, randomUUID } from "node:crypto";
import pg from "pg";
import { createClient } from "redis";
import { createServiceMetrics, createSqlPool } from "@clinigraph/platform";
import { createTestDatabase, parseExposition, sampleValue, type TestDatabase } from "@clinigraph/testing";
import { createRedisEventBus, startOutboxRelay, streamOf, STREAMS, type EventBus, type EventEnvelope, type OutboxRelay } from "../src/index.js";

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

let db: TestDatabase;
let pool: pg.Pool;
let bus: EventBus;
const redis = createClient({ url: REDIS_URL });
let prefix: string;
const relays: OutboxRelay[] = [];

beforeAll(async () => {
  db = await createTestDatabase(["scheduling"]);
  pool = createSqlPool(db.url);
  bus = await createRedisEventBus({ url: REDIS_URL });
  await redis.connect();
});
afterAll(async () => {
  await bus?.close();
  await redis.close();
  await pool?.end();
  await db?.drop();
});
beforeEach(async () => {
  prefix = `test.${randomBytes(6).toString("hex")}`;
  await pool.query("DELETE FROM scheduling.outbox");
});
afterEach(async () => {
  await Promise.all(relays.splice(0).map((relay) => relay.stop()));
  for await (const keys of redis.scanIterator({ MATCH: `${prefix}.*`, COUNT: 100 })) if (keys.length > 0) await redis.del(keys);
});

const testStreamOf = (type: string) => `${prefix}.${streamOf(type)}`;
const appointments = () => `${prefix}.${STREAMS.appointments}`;

const relay = (options: Partial<Parameters<typeof startOutboxRelay>[0]> = {}) => {
  const started = startOutboxRelay({ pool, schema: "scheduling", source: "clinigraph/scheduling", bus, streamOf: testStreamOf, intervalMs: 20, ...options });
  relays.push(started);
  return started;
};

interface Row {
  id: string;
  aggregateId: string;
  type: string;
  payload: Record<string, unknown>;
  occurredAt: Date;
}

async function insertOutbox(count: number, aggregates = [randomUUID(), randomUUID()]): Promise<Row[]> {
  const rows: Row[] = [];
  for (let i = 0; i < count; i++) {
    const aggregateId = aggregates[i % aggregates.length]!;
    const type = i % 3 === 0 ? "AppointmentRequested" : "AppointmentBooked";
    const payload = {
      appointmentId: aggregateId,
      patientId: randomUUID(),
      doctorId: randomUUID(),
      serviceId: null,
      status: "BOOKED",
      startsAt: "2030-01-07T09:00:00.000Z",
      endsAt: "2030-01-07T09:30:00.000Z",
      actorId: null,
    };
    const row = { id: randomUUID(), aggregateId, type, payload, occurredAt: new Date(Date.UTC(2030, 0, 1, 8, 0, i)) };
    await pool.query("INSERT INTO scheduling.outbox (id, aggregate_id, type, payload, occurred_at) VALUES ($1, $2, $3, $4, $5)", [
      row.id,
      row.aggregateId,
      row.type,
      JSON.stringify(row.payload),
      row.occurredAt,
    ]);
    rows.push(row);
  }
  return rows;
}

const unpublished = async () => Number((await pool.query("SELECT count(*) FROM scheduling.outbox WHERE published_at IS NULL")).rows[0].count);

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function streamEnvelopes(stream: string): Promise<EventEnvelope[]> {
  const entries = await redis.xRange(stream, "-", "+");
  return entries.map((entry) => JSON.parse(String((entry.message as Record<string, string>).envelope)) as EventEnvelope);
}

describe("outbox relay", () => {
  it("publishes outbox rows in sequence order as CloudEvents and marks them published", async () => {
    const rows = await insertOutbox(7);
    const received: EventEnvelope[] = [];
    const consumer = bus.consume({ stream: appointments(), group: "test", consumer: "c", handler: async (e) => void received.push(e) });
    relay({ batchSize: 3 });
    await waitFor(async () => (await unpublished()) === 0);
    await consumer.idle();
    await consumer.stop();

    const sequences = (await pool.query("SELECT id::text, sequence::text FROM scheduling.outbox ORDER BY sequence")).rows as { id: string; sequence: string }[];
    expect(received.map((e) => e.id)).toEqual(rows.map((r) => r.id));
    expect(received.map((e) => e.sequence)).toEqual(sequences.map((s) => s.sequence));
    received.forEach((envelope, i) => {
      const row = rows[i]!;
      expect(envelope).toEqual({
        specversion: "1.0",
        id: row.id,
        source: "clinigraph/scheduling",
        type: row.type,
        time: row.occurredAt.toISOString(),
        subject: row.aggregateId,
        datacontenttype: "application/json",
        data: row.payload,
        sequence: sequences[i]!.sequence,
      });
    });
    const published = await pool.query("SELECT published_at FROM scheduling.outbox");
    expect(published.rows.every((r: { published_at: Date | null }) => r.published_at instanceof Date)).toBe(true);
  });

  it("two relays at once publish every row exactly once, in order", async () => {
    const rows = await insertOutbox(120, [randomUUID(), randomUUID(), randomUUID()]);
    const pool2 = createSqlPool(db.url);
    try {
      relay({ batchSize: 7, intervalMs: 1 });
      relay({ pool: pool2, batchSize: 7, intervalMs: 1 });
      await waitFor(async () => (await unpublished()) === 0);
      const envelopes = await streamEnvelopes(appointments());
      expect(envelopes.map((e) => e.id)).toEqual(rows.map((r) => r.id));
      const sequences = envelopes.map((e) => BigInt(e.sequence!));
      expect(sequences).toEqual([...sequences].sort((a, b) => (a < b ? -1 : 1)));
    } finally {
      await Promise.all(relays.splice(0).map((r) => r.stop()));
      await pool2.end();
    }
  });

  it("leaves rows unpublished when publishing fails, and publishes them later", async () => {
    const rows = await insertOutbox(3);
    let failures = 0;
    const broken: EventBus = {
      ...bus,
      publish: async () => {
        failures++;
        throw new Error("redis down");
      },
    };
    const failing = relay({ bus: broken });
    await waitFor(async () => failures >= 2); // it keeps retrying
    await failing.stop();
    expect(await unpublished()).toBe(3);

    relay();
    await waitFor(async () => (await unpublished()) === 0);
    expect((await streamEnvelopes(appointments())).map((e) => e.id)).toEqual(rows.map((r) => r.id));
  });

  it("reports its outbox to the service's metrics: rows waiting and the oldest one's age, rows published, failed rounds", async () => {
    const metrics = createServiceMetrics("relay-test");
    const scraped = async () => parseExposition(await metrics.text());
    const outbox = { outbox: "scheduling" };
    const rows = await insertOutbox(3);
    await pool.query("UPDATE scheduling.outbox SET occurred_at = now() - interval '90 seconds' WHERE id = $1", [rows[0]!.id]);
    let failures = 0;
    const broken: EventBus = {
      ...bus,
      publish: async () => {
        failures++;
        throw new Error("redis down");
      },
    };
    const failing = relay({ bus: broken, metrics });
    // Counted once the failed round has ended (after the publish call that failed): wait for the metric itself.
    await waitFor(async () => failures >= 2 && (sampleValue(await scraped(), "clinigraph_outbox_relay_failures_total", outbox) ?? 0) >= 2);
    const down = await scraped();
    expect(sampleValue(down, "clinigraph_outbox_unpublished_events", outbox)).toBe(3);
    expect(sampleValue(down, "clinigraph_outbox_oldest_unpublished_age_seconds", outbox)).toBeGreaterThanOrEqual(90);
    expect(sampleValue(down, "clinigraph_outbox_oldest_unpublished_age_seconds", outbox)).toBeLessThan(90 + 60);
    expect(sampleValue(down, "clinigraph_outbox_relay_failures_total", outbox)).toBeGreaterThanOrEqual(2);
    expect(sampleValue(down, "clinigraph_outbox_published_total", outbox)).toBe(0);
    await failing.stop();
    expect(sampleValue(await scraped(), "clinigraph_outbox_unpublished_events", outbox)).toBeUndefined(); // a stopped relay is not reported

    relay({ metrics });
    await waitFor(async () => (await unpublished()) === 0);
    const up = await scraped();
    expect(sampleValue(up, "clinigraph_outbox_published_total", outbox)).toBe(3);
    expect(sampleValue(up, "clinigraph_outbox_unpublished_events", outbox)).toBe(0);
    expect(sampleValue(up, "clinigraph_outbox_oldest_unpublished_age_seconds", outbox)).toBe(0);
  });

  it("publishes at once when kicked or notified, without waiting for the next poll", async () => {
    const published: string[] = [];
    const waiting = relay({
      pool: undefined,
      connectionString: db.url,
      intervalMs: 600_000,
      notifyChannel: "outbox_test",
      onPublished: (events) => published.push(...events.map((e) => e.id)),
    });
    await new Promise((resolve) => setTimeout(resolve, 100)); // first (empty) round done, now sleeping
    const [kicked] = await insertOutbox(1);
    waiting.kick();
    await waitFor(async () => published.includes(kicked!.id), 5_000);
    const [notified] = await insertOutbox(1);
    await pool.query("SELECT pg_notify('outbox_test', '')");
    await waitFor(async () => published.includes(notified!.id), 5_000);
  });
});
