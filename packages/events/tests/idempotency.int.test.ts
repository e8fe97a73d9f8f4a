/**
 * Idempotent consumers: the processed event id is recorded in the consumer's own schema, in the same
 * transaction as the effect, so a duplicate delivery has no second effect.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { randomUUID } from "node:crypto";
import pg from "pg";
import { createSqlPool } from "@clinigraph/platform";
import { createTestDatabase, type TestDatabase } from "@clinigraph/testing";
import {
  claimEvent,
  claimEvents,
  createEnvelope,
  createMemoryEventBus,
  processedEventsTableSql,
  runOnce,
  withTransaction,
  type EventEnvelope,
} from "../src/index.js";

const SCHEMA = "consumer_test";
let db: TestDatabase;
let pool: pg.Pool;

beforeAll(async () => {
  db = await createTestDatabase([]);
  pool = createSqlPool(db.url);
  await pool.query(`CREATE SCHEMA ${SCHEMA}`);
  await pool.query(processedEventsTableSql(SCHEMA));
  await pool.query(processedEventsTableSql(SCHEMA)); // IF NOT EXISTS: safe to repeat
  await pool.query(`CREATE TABLE ${SCHEMA}.effects (id serial PRIMARY KEY, event_id text NOT NULL)`);
});
afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

const effectsOf = async (eventId: string) => Number((await pool.query(`SELECT count(*) FROM ${SCHEMA}.effects WHERE event_id = $1`, [eventId])).rows[0].count);

const handle = (consumer: string, eventId: string, beforeCommit?: () => Promise<void>) =>
  withTransaction(pool, async (client) => {
    const outcome = await runOnce(client, SCHEMA, consumer, eventId, async () => {
      await client.query(`INSERT INTO ${SCHEMA}.effects (event_id) VALUES ($1)`, [eventId]);
      return "done";
    });
    await beforeCommit?.();
    return outcome;
  });

describe("runOnce", () => {
  it("runs the effect of the same event once", async () => {
    const eventId = randomUUID();
    expect(await handle("billing", eventId)).toEqual({ ran: true, result: "done" });
    expect(await handle("billing", eventId)).toEqual({ ran: false });
    expect(await effectsOf(eventId)).toBe(1);
  });

  it("records per consumer: another consumer handles the same event too", async () => {
    const eventId = randomUUID();
    await handle("billing", eventId);
    expect(await handle("notifications", eventId)).toMatchObject({ ran: true });
  });

  it("forgets the event when the effect's transaction rolls back, so a retry runs it", async () => {
    const eventId = randomUUID();
    await expect(
      handle("billing", eventId, async () => {
        throw new Error("crash before commit");
      }),
    ).rejects.toThrow("crash before commit");
    expect(await effectsOf(eventId)).toBe(0);
    expect(await handle("billing", eventId)).toMatchObject({ ran: true });
    expect(await effectsOf(eventId)).toBe(1);
  });

  it("has one effect when duplicates are handled concurrently", async () => {
    const eventId = randomUUID();
    const outcomes = await Promise.all(Array.from({ length: 4 }, () => handle("billing", eventId, () => new Promise((r) => setTimeout(r, 20)))));
    expect(outcomes.filter((o) => o.ran)).toHaveLength(1);
    expect(await effectsOf(eventId)).toBe(1);
  });

  it("makes a bus consumer idempotent when an event is published twice (at-least-once relay)", async () => {
    const bus = createMemoryEventBus();
    const event: EventEnvelope = createEnvelope("DoctorScheduleChanged", { doctorId: randomUUID() });
    await bus.publish("doctors", [event, event]);
    const consumer = bus.consume({ stream: "doctors", group: "g", consumer: "c", handler: async (e) => void (await handle("scheduling", e.id)) });
    await consumer.idle();
    await bus.close();
    expect(await effectsOf(event.id)).toBe(1);
  });
});

describe("claimEvent and claimEvents", () => {
  it("claim an event once per consumer, one at a time or a block in one statement", async () => {
    const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
    expect(await claimEvent(pool, SCHEMA, "blocks", a)).toBe(true);
    expect(await claimEvent(pool, SCHEMA, "blocks", a)).toBe(false);
    // A block with an id claimed before and one twice: the new ones, once each.
    expect(await claimEvents(pool, SCHEMA, "blocks", [b, a, c, b])).toEqual(new Set([b, c]));
    expect(await claimEvents(pool, SCHEMA, "blocks", [a, b, c])).toEqual(new Set());
    expect(await claimEvents(pool, SCHEMA, "blocks", [])).toEqual(new Set());
    expect(await claimEvents(pool, SCHEMA, "another consumer", [a, c])).toEqual(new Set([a, c]));
  });

  it("two overlapping blocks at once: every id claimed by exactly one of them", async () => {
    const ids = Array.from({ length: 6 }, () => randomUUID());
    const claims = await Promise.all([
      withTransaction(pool, (client) => claimEvents(client, SCHEMA, "overlap", ids.slice(0, 4))),
      withTransaction(pool, (client) => claimEvents(client, SCHEMA, "overlap", ids.slice(2).reverse())),
    ]);
    expect([...claims[0]!, ...claims[1]!].sort()).toEqual([...ids].sort());
  });
});
