/**
 * The clinic board's consumer on a real database: clinical's events → `clinical.board_entries`,
 * through a whole visit; a redelivered event changes nothing and is not published twice; every applied
 * change reaches the day's board feed, every event of an encounter the treating doctor's feed.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { randomUUID } from "node:crypto";
import {
  createEnvelope,
  createMemoryEventBus,
  createMemoryLiveFeed,
  STREAMS,
  type EncounterEventData,
  type EventBus,
  type EventEnvelope,
  type ExaminationEventData,
  type LiveEntry,
  type LiveFeed,
} from "@clinigraph/events";
import { createFieldCipher, createLogger, createSqlPool, readCipherKeys, type SqlPool } from "@clinigraph/platform";
import { createTestDatabase, queryDatabase, testEnv, type TestDatabase } from "@clinigraph/testing";
import { createRepositories } from "../src/data/repositories.js";
import type { ClinicalDeps } from "../src/domain/deps.js";
import { BOARD_GROUP, startBoardConsumer } from "../src/events/consumers/board.js";
import { boardTopic, doctorEncounterTopic, type BoardUpdateMessage, type EncounterUpdateMessage } from "../src/live/topics.js";

let db: TestDatabase;
let pool: SqlPool;
let bus: EventBus;
let live: LiveFeed;
let consumer: ReturnType<typeof startBoardConsumer>;

beforeAll(async () => {
  db = await createTestDatabase(["clinical"]);
  pool = createSqlPool(db.url, { max: 2 });
  bus = createMemoryEventBus();
  live = createMemoryLiveFeed();
  const cipher = createFieldCipher(readCipherKeys(testEnv(db.url), { blindIndex: false }));
  const deps = { ...createRepositories(pool, cipher), clinicTimezone: "Europe/Berlin", clock: () => new Date() } as unknown as ClinicalDeps;
  consumer = startBoardConsumer({ bus, deps, live, logger: createLogger("board-test", "silent") });
});
afterAll(async () => {
  await consumer?.stop();
  await bus?.close();
  await live?.close();
  await pool?.end();
  await db?.drop();
});

function visit() {
  const ids = { encounterId: randomUUID(), patientId: randomUUID(), doctorId: randomUUID(), doctorUserId: randomUUID() };
  const enc = (
    type: "EncounterRegistered" | "EncounterStarted" | "EncounterFinished" | "EncounterRefused" | "VisitOutcomeConfirmed",
    time: string,
    pending = 0,
  ) =>
    createEnvelope(type, { ...ids, appointmentId: null, status: "X", actorId: null, pendingExaminations: pending } satisfies EncounterEventData, {
      time: `2027-03-22T${time}:00.000Z`,
    });
  const exam = (
    type: "ExaminationOrdered" | "ExaminationPerformed" | "ExaminationCancelled" | "ExaminationReviewed",
    examinationId: string,
    time: string,
    pending: number,
    actorId: string | null = null,
  ) =>
    createEnvelope(
      type,
      {
        ...ids,
        examinationId,
        serviceId: randomUUID(),
        status: "X",
        actorId,
        orderedAt: "2027-03-22T08:00:00.000Z",
        pendingExaminations: pending,
      } satisfies ExaminationEventData,
      { time: `2027-03-22T${time}:00.000Z` },
    );
  return { ids, enc, exam };
}

async function deliver(...events: EventEnvelope[]) {
  await bus.publish(STREAMS.clinical, events);
  await consumer.idle();
}

const entryOf = async (encounterId: string) =>
  (
    await queryDatabase<{ state: string; since: Date; day: Date; pending_exams: number; unreviewed: number }>(
      db.url,
      `SELECT state, since, to_char(day, 'YYYY-MM-DD') AS day, pending_exams, unreviewed FROM clinical.board_entries WHERE encounter_id = $1`,
      [encounterId],
    )
  )[0];

/** Everything the (in-process) feed retains for a topic, without waiting for more. */
async function drain<M extends BoardUpdateMessage | EncounterUpdateMessage>(topic: string): Promise<LiveEntry<M>[]> {
  const sub = live.subscribe<M>(topic, "0");
  const out: LiveEntry<M>[] = [];
  for (;;) {
    const next = await Promise.race([sub.next(), Promise.resolve(null)]);
    if (!next || next.done) break;
    out.push(next.value);
  }
  await sub.return?.();
  return out;
}

describe("clinic board consumer", () => {
  it("follows a whole visit, each state since its event, on the clinic-local day", async () => {
    const { ids, enc, exam } = visit();
    const [x1, x2] = [randomUUID(), randomUUID()];
    const steps: [EventEnvelope, string][] = [
      [enc("EncounterRegistered", "08:00"), "WAITING"],
      [enc("EncounterStarted", "08:10"), "WITH_DOCTOR"],
      [exam("ExaminationOrdered", x1, "08:20", 1), "AT_EXAMINATION"],
      [exam("ExaminationOrdered", x2, "08:21", 2), "AT_EXAMINATION"],
      [exam("ExaminationPerformed", x1, "08:40", 1), "AT_EXAMINATION"],
      [exam("ExaminationCancelled", x2, "08:45", 0, randomUUID()), "AWAITING_REVIEW"],
      [exam("ExaminationReviewed", x1, "08:50", 0), "WITH_DOCTOR"],
      [enc("EncounterFinished", "09:00"), "FINISHED"],
      [enc("VisitOutcomeConfirmed", "09:05"), "CONFIRMED"],
    ];
    const seen: string[] = [];
    for (const [event] of steps) {
      await deliver(event);
      seen.push((await entryOf(ids.encounterId))!.state);
    }
    expect(seen).toEqual(steps.map(([, state]) => state));
    const entry = await entryOf(ids.encounterId);
    expect(entry).toMatchObject({ day: "2027-03-22", pending_exams: 0, unreviewed: 0 });
    expect(entry!.since).toEqual(new Date("2027-03-22T09:05:00.000Z"));

    // The day's board feed got one update per applied change, the doctor's feed every event.
    const board = (await drain<BoardUpdateMessage>(boardTopic("2027-03-22"))).filter((e) => e.message.entry.encounterId === ids.encounterId);
    expect(board.map((e) => e.message.entry.state)).toEqual([
      "WAITING",
      "WITH_DOCTOR",
      "AT_EXAMINATION",
      "AT_EXAMINATION",
      "AT_EXAMINATION",
      "AWAITING_REVIEW",
      "WITH_DOCTOR",
      "FINISHED",
      "CONFIRMED",
    ]);
    const doctor = await drain<EncounterUpdateMessage>(doctorEncounterTopic(ids.doctorUserId));
    expect(doctor.map((e) => e.message.type)).toEqual([
      "REGISTERED",
      "STARTED",
      "EXAMINATION_ORDERED",
      "EXAMINATION_ORDERED",
      "EXAMINATION_PERFORMED",
      "EXAMINATION_CANCELLED",
      "EXAMINATION_REVIEWED",
      "FINISHED",
      "OUTCOME_CONFIRMED",
    ]);
    expect(doctor[5]!.message).toMatchObject({ encounterId: ids.encounterId, examinationId: x2 });
    expect(doctor[5]!.message.actorId).not.toBeNull();
  });

  it("is idempotent: a redelivered event changes nothing and is published once", async () => {
    const { ids, enc } = visit();
    const registered = enc("EncounterRegistered", "10:00");
    const started = enc("EncounterStarted", "10:15");
    await deliver(registered, started);
    const before = await entryOf(ids.encounterId);
    await deliver(started, registered, started); // at-least-once, and a late replay of the registration
    expect(await entryOf(ids.encounterId)).toEqual(before);
    expect(before).toMatchObject({ state: "WITH_DOCTOR" });
    expect(before!.since).toEqual(new Date("2027-03-22T10:15:00.000Z"));
    const processed = await queryDatabase<{ n: string }>(
      db.url,
      `SELECT count(*) AS n FROM clinical.processed_events WHERE consumer = $1 AND event_id = ANY($2)`,
      [BOARD_GROUP, [registered.id, started.id]],
    );
    expect(Number(processed[0]!.n)).toBe(2);
    const board = (await drain<BoardUpdateMessage>(boardTopic("2027-03-22"))).filter((e) => e.message.entry.encounterId === ids.encounterId);
    expect(board.map((e) => e.message.entry.state)).toEqual(["WAITING", "WITH_DOCTOR"]);
    expect((await drain<EncounterUpdateMessage>(doctorEncounterTopic(ids.doctorUserId))).map((e) => e.message.type)).toEqual(["REGISTERED", "STARTED"]);
  });

  it("a refused visit ends REFUSED; the cancellations of its orders leave it there", async () => {
    const { ids, enc, exam } = visit();
    await deliver(enc("EncounterRegistered", "11:00"), enc("EncounterStarted", "11:05"), exam("ExaminationOrdered", randomUUID(), "11:10", 1));
    expect(await entryOf(ids.encounterId)).toMatchObject({ state: "AT_EXAMINATION", pending_exams: 1 });
    await deliver(enc("EncounterRefused", "11:20", 0), exam("ExaminationCancelled", randomUUID(), "11:20", 0));
    expect(await entryOf(ids.encounterId)).toMatchObject({ state: "REFUSED", pending_exams: 0 });
  });
});
