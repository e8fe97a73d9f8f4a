/**
 * Scheduling's appointment events on a real database, as the consumer takes them: a block at once (care
 * relationships in one statement, check-ins in one transaction), in stream order (the first relationship of a pair
 * stays), idempotent (a redelivered block changes nothing), and a block that fails taken again event by event (one
 * event that cannot be handled is dead-lettered alone).
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { randomUUID } from "node:crypto";
import { STREAMS, type AppointmentEventData, type AppointmentEventType } from "@clinigraph/events";
import { publishAndSettle, queryDatabase, snapshotTables, type TestEvent } from "@clinigraph/testing";
import { APPOINTMENTS_GROUP } from "../src/events/consumers/appointments.js";
import { startHarness, type Harness } from "./support/harness.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

const booking = () => {
  const data: AppointmentEventData = {
    appointmentId: randomUUID(),
    patientId: randomUUID(),
    doctorId: randomUUID(),
    doctorUserId: randomUUID(),
    serviceId: randomUUID(),
    status: "REQUESTED",
    startsAt: "2026-11-30T09:00:00.000Z",
    endsAt: "2026-11-30T09:15:00.000Z",
    actorId: null,
  };
  const event = (type: AppointmentEventType, time: string, status: string, id?: string): TestEvent<AppointmentEventType> => ({
    type,
    data: { ...data, status },
    time,
    ...(id ? { id } : {}),
  });
  return { data, event };
};

const publish = (events: readonly TestEvent<AppointmentEventType>[]) =>
  publishAndSettle(h.bus, [h.clinical.appointments], STREAMS.appointments, events, h.clock.now());

/** Everything written settled: the outbox relayed, every consumer (the board's too) idle. */
const settled = async () => {
  await h.settle();
  await h.clinical.board.idle();
  return snapshotTables(h.db.url);
};

const careOf = (doctorUserId: string, patientId: string) => h.prisma.careRelationship.findMany({ where: { doctorUserId, patientId } });

describe("appointment events", () => {
  it("gives each booked pair one care relationship, from its first event, and a redelivered block changes nothing", async () => {
    const bookings = Array.from({ length: 30 }, booking);
    const events = bookings.flatMap((b, i) => {
      const minute = String(i).padStart(2, "0");
      return [
        b.event("AppointmentRequested", `2026-11-26T08:${minute}:00.000Z`, "REQUESTED"),
        b.event("AppointmentBooked", `2026-11-26T08:${minute}:30.000Z`, "BOOKED"),
      ];
    });
    const ids = await publish(events);

    for (const [i, b] of bookings.entries()) {
      const care = await careOf(b.data.doctorUserId!, b.data.patientId);
      expect(care).toEqual([expect.objectContaining({ since: new Date(`2026-11-26T08:${String(i).padStart(2, "0")}:00.000Z`), source: "appointment" })]);
    }
    // The block was one write (one transaction id on every row), not one per event.
    const writes = await queryDatabase<{ n: number }>(
      h.db.url,
      `SELECT count(DISTINCT xmin::text)::int AS n FROM clinical.care_relationships WHERE patient_id = ANY ($1::uuid[])`,
      [bookings.map((b) => b.data.patientId)],
    );
    expect(writes).toEqual([{ n: 1 }]);
    const before = await settled();
    await publish(events.map((event, i) => ({ ...event, id: ids[i]! })));
    expect(await settled()).toEqual(before);
  });

  it("takes a check-in in the block's order: an appointment's relationship stays, a new pair's comes from the encounter", async () => {
    const seen = booking();
    const walkedIn = booking();
    const events = [
      seen.event("AppointmentBooked", "2026-11-26T07:00:00.000Z", "BOOKED"),
      seen.event("PatientCheckedIn", "2026-11-26T09:00:00.000Z", "CHECKED_IN"),
      walkedIn.event("PatientCheckedIn", "2026-11-26T09:05:00.000Z", "CHECKED_IN"),
    ];
    const ids = await publish(events);

    expect(await careOf(seen.data.doctorUserId!, seen.data.patientId)).toEqual([
      expect.objectContaining({ since: new Date("2026-11-26T07:00:00.000Z"), source: "appointment" }),
    ]);
    expect(await careOf(walkedIn.data.doctorUserId!, walkedIn.data.patientId)).toEqual([
      expect.objectContaining({ since: new Date("2026-11-26T09:05:00.000Z"), source: "encounter" }),
    ]);
    for (const { data } of [seen, walkedIn]) {
      const encounter = await h.prisma.encounter.findUniqueOrThrow({ where: { appointmentId: data.appointmentId } });
      expect(encounter).toMatchObject({ status: "ARRIVED", patientId: data.patientId, doctorUserId: data.doctorUserId, registeredBy: null });
      const outbox = await h.prisma.outboxEvent.findMany({ where: { aggregateId: encounter.id } });
      expect(outbox.map((e) => e.type)).toEqual(["EncounterRegistered"]);
    }

    const before = await settled();
    await publish(events.map((event, i) => ({ ...event, id: ids[i]! })));
    expect(await settled()).toEqual(before);
  });

  it("takes a failing block event by event: only the event that cannot be handled is dead-lettered", async () => {
    const booked = booking();
    const stranded = booking();
    const { doctorUserId: _known, ...withoutUser } = stranded.data;
    h.doctors.down = true;
    try {
      await publish([
        booked.event("AppointmentBooked", "2026-11-26T10:00:00.000Z", "BOOKED"),
        // Without the doctor's user, a check-in asks the doctors subgraph, which is down.
        { type: "PatientCheckedIn", data: { ...withoutUser, status: "CHECKED_IN" }, time: "2026-11-26T10:05:00.000Z" },
      ]);
    } finally {
      h.doctors.down = false;
    }
    expect(await careOf(booked.data.doctorUserId!, booked.data.patientId)).toHaveLength(1);
    expect(await h.prisma.encounter.count({ where: { appointmentId: stranded.data.appointmentId } })).toBe(0);
    const dead = await h.bus.deadLetters(STREAMS.appointments, APPOINTMENTS_GROUP);
    expect(dead.map((d) => d.envelope?.data)).toEqual([expect.objectContaining({ appointmentId: stranded.data.appointmentId })]);
  });
});
