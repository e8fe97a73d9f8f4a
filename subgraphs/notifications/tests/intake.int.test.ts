/**
 * Appointment events a block at a time: a block read at once is taken in one transaction and leaves the ledger and
 * the appointment's state as its events taken one by one would; a redelivered block changes nothing; a block that
 * fails is taken again one event at a time, a poison event dead-lettered alone.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { randomUUID } from "node:crypto";
import { STREAMS, type AppointmentEventData } from "@clinigraph/events";
import { queryDatabase } from "@clinigraph/testing";
import { APPOINTMENTS_GROUP } from "../src/events/consumers/appointments.js";
import { startHarness, type Harness, type People } from "./support/harness.js";

let h: Harness;
let transactions = 0;

beforeAll(async () => {
  h = await startHarness({ now: new Date("2027-03-20T09:00:00Z") });
  const uow = h.running.deps.unitOfWork;
  const run = uow.run.bind(uow);
  uow.run = (work) => {
    transactions++;
    return run(work);
  };
});

afterAll(async () => {
  await h?.stop();
});

type Step = {
  type: "AppointmentRequested" | "AppointmentBooked" | "AppointmentRescheduled" | "AppointmentCancelled";
  patch: Partial<AppointmentEventData>;
  time: string;
  id?: string;
};

/**
 * The ledger and state of an appointment, without what differs between two copies (ids, event ids in keys) and
 * without the time of each row's last change: a reminder that one event of a block cancels and a later one keeps is
 * left as it was, where taken one by one it is cancelled and made SCHEDULED again.
 */
async function snapshot(appointmentId: string) {
  const deliveries = await queryDatabase(
    h.db.url,
    `SELECT kind, recipient_id, channel, status, offset_minutes, starts_at, due_at, facts, last_error, attempts, created_at
       FROM notifications.deliveries WHERE appointment_id = $1 ORDER BY kind, recipient_id, channel, due_at, status, starts_at, facts::text`,
    [appointmentId],
  );
  const state = await queryDatabase(
    h.db.url,
    `SELECT patient_id, doctor_id, doctor_user_id, service_id, status, starts_at, ends_at, last_event_at FROM notifications.appointments WHERE appointment_id = $1`,
    [appointmentId],
  );
  return { deliveries, state };
}

/** The same steps for two copies of an appointment: one block for the first, one event at a time for the second. */
async function both(p: People, steps: Step[]) {
  const base = h.appointment(p, "2027-03-29T07:00:00.000Z");
  const [a, b] = [base, { ...base, appointmentId: randomUUID() }];
  const events = (data: AppointmentEventData, list: Step[], copy: string) =>
    list.map((step) => ({ type: step.type, data: { ...data, ...step.patch }, time: step.time, ...(step.id ? { id: `${step.id}-${copy}` } : {}) }));
  const before = transactions;
  await h.publish(STREAMS.appointments, events(a, steps, "a"));
  expect(transactions - before).toBe(1);
  for (const event of events(b, steps, "b")) await h.publish(STREAMS.appointments, [event]);
  return { block: await snapshot(a.appointmentId), oneByOne: await snapshot(b.appointmentId) };
}

const S1 = { startsAt: "2027-03-29T07:00:00.000Z", endsAt: "2027-03-29T07:30:00.000Z" };
const S2 = { startsAt: "2027-03-30T12:00:00.000Z", endsAt: "2027-03-30T12:30:00.000Z" };

describe("a block of one appointment's events ends as its events one by one", () => {
  it("a request booked at once", async () => {
    const p = h.patientAndDoctor();
    const { block, oneByOne } = await both(p, [
      { type: "AppointmentRequested", patch: {}, time: "2027-03-20T09:00:00.000Z" },
      { type: "AppointmentBooked", patch: {}, time: "2027-03-20T09:00:00.000Z" },
    ]);
    expect(block).toEqual(oneByOne);
    expect(block.deliveries.map((d) => `${d.kind}:${d.status}`)).toEqual([
      "APPOINTMENT_BOOKED:SCHEDULED",
      "APPOINTMENT_REMINDER:SCHEDULED",
      "APPOINTMENT_REMINDER:SCHEDULED",
    ]);
  });

  it("a request approved, moved and moved back, on two channels", async () => {
    const p = h.patientAndDoctor();
    await h.call(`mutation { updateNotificationPreferences(input: { channels: [EMAIL, PUSH] }) { channels } }`, p.patient);
    const { block, oneByOne } = await both(p, [
      { type: "AppointmentRequested", patch: { status: "PENDING" }, time: "2027-03-20T09:00:00.000Z" },
      { type: "AppointmentBooked", patch: { actorId: p.doctorUserId }, time: "2027-03-20T09:01:00.000Z" },
      { type: "AppointmentRescheduled", patch: { ...S2, previousStartsAt: S1.startsAt }, time: "2027-03-20T09:02:00.000Z" },
      { type: "AppointmentRescheduled", patch: { ...S1, previousStartsAt: S2.startsAt }, time: "2027-03-20T09:03:00.000Z" },
    ]);
    expect(block).toEqual(oneByOne);
    expect(block.deliveries.filter((d) => d.kind === "APPOINTMENT_REMINDER").map((d) => d.status)).toEqual([
      "SCHEDULED",
      "SCHEDULED",
      "CANCELLED",
      "CANCELLED",
      "SCHEDULED",
      "SCHEDULED",
      "CANCELLED",
      "CANCELLED",
    ]);
  });

  it("booked and cancelled; a cancellation ahead of the older booking; an event twice", async () => {
    const p = h.patientAndDoctor();
    const cancelled = { status: "CANCELLED" };
    const twice = randomUUID();
    const scenarios: Step[][] = [
      [
        { type: "AppointmentBooked", patch: {}, time: "2027-03-20T09:00:00.000Z" },
        { type: "AppointmentCancelled", patch: cancelled, time: "2027-03-20T09:05:00.000Z" },
      ],
      [
        { type: "AppointmentCancelled", patch: cancelled, time: "2027-03-20T09:05:00.000Z" },
        { type: "AppointmentBooked", patch: {}, time: "2027-03-20T09:00:00.000Z" },
      ],
      [
        { type: "AppointmentBooked", patch: {}, time: "2027-03-20T09:00:00.000Z", id: twice },
        { type: "AppointmentBooked", patch: {}, time: "2027-03-20T09:00:00.000Z", id: twice },
      ],
    ];
    for (const steps of scenarios) {
      const { block, oneByOne } = await both(p, steps);
      expect(block).toEqual(oneByOne);
    }
  });

  it("a reminder already due when its appointment is moved away and back stays cancelled", async () => {
    const p = h.patientAndDoctor();
    h.clock.now = new Date("2027-03-20T09:00:00Z");
    const soon = { startsAt: "2027-03-21T12:00:00.000Z", endsAt: "2027-03-21T12:30:00.000Z" };
    const later = { startsAt: "2027-03-22T12:00:00.000Z", endsAt: "2027-03-22T12:30:00.000Z" };
    const booked: Step[] = [{ type: "AppointmentBooked", patch: soon, time: "2027-03-20T09:00:00.000Z" }];
    const moves: Step[] = [
      { type: "AppointmentRescheduled", patch: { ...later, previousStartsAt: soon.startsAt }, time: "2027-03-20T12:00:00.000Z" },
      { type: "AppointmentRescheduled", patch: { ...soon, previousStartsAt: later.startsAt }, time: "2027-03-20T12:01:00.000Z" },
    ];
    // The 24-hour reminder of the first start falls due at 12:00; at 12:30 it is not sent yet (the scheduler is not running).
    const original = h.clock.now;
    const bookThenMove = async () => {
      const base = h.appointment(p, soon.startsAt);
      const copies = [base, { ...base, appointmentId: randomUUID() }];
      for (const copy of copies)
        await h.publish(
          STREAMS.appointments,
          booked.map((s) => ({ type: s.type, data: { ...copy, ...s.patch }, time: s.time })),
        );
      h.clock.now = new Date("2027-03-20T12:30:00Z");
      await h.publish(
        STREAMS.appointments,
        moves.map((s) => ({ type: s.type, data: { ...copies[0]!, ...s.patch }, time: s.time })),
      );
      for (const s of moves) await h.publish(STREAMS.appointments, [{ type: s.type, data: { ...copies[1]!, ...s.patch }, time: s.time }]);
      return [await snapshot(copies[0]!.appointmentId), await snapshot(copies[1]!.appointmentId)];
    };
    try {
      const [block, oneByOne] = await bookThenMove();
      expect(block).toEqual(oneByOne);
      const reminders = block!.deliveries.filter((d) => d.kind === "APPOINTMENT_REMINDER");
      expect(reminders.map((d) => `${d.offset_minutes}:${(d.starts_at as Date).toISOString()}:${d.status}`).sort()).toEqual([
        "1440:2027-03-21T12:00:00.000Z:CANCELLED", // due at 12:00, unsent: cancelled by the move away, not revived by the move back
        "1440:2027-03-22T12:00:00.000Z:CANCELLED",
        "60:2027-03-21T12:00:00.000Z:SCHEDULED",
        "60:2027-03-22T12:00:00.000Z:CANCELLED",
      ]);
    } finally {
      h.clock.now = original;
    }
  });
});

describe("blocks", () => {
  it("a booking burst's events share one transaction; a redelivered block changes nothing", async () => {
    const bookings = Array.from({ length: 40 }, () => h.appointment(h.patientAndDoctor(), "2027-04-02T08:00:00.000Z"));
    const events = bookings.flatMap((data) => [
      { type: "AppointmentRequested" as const, data, id: randomUUID() },
      { type: "AppointmentBooked" as const, data, id: randomUUID() },
    ]);
    const before = transactions;
    await h.publish(STREAMS.appointments, events);
    expect(transactions - before).toBe(1);
    const ids = bookings.map((b) => b.appointmentId);
    const rows = () =>
      queryDatabase<{ kind: string; n: number; updated: Date }>(
        h.db.url,
        `SELECT kind, count(*)::int AS n, max(updated_at) AS updated FROM notifications.deliveries WHERE appointment_id = ANY ($1::uuid[]) GROUP BY kind ORDER BY kind`,
        [ids],
      );
    const first = await rows();
    expect(first.map((r) => `${r.kind}:${r.n}`)).toEqual(["APPOINTMENT_BOOKED:40", "APPOINTMENT_REMINDER:80"]);

    h.clock.now = new Date(h.clock.now.getTime() + 60_000);
    await h.publish(STREAMS.appointments, events);
    expect(await rows()).toEqual(first);
  });

  it("a block that fails is taken one event at a time: the poison event is dead-lettered, the others are applied", async () => {
    const good = h.appointment(h.patientAndDoctor(), "2027-04-03T08:00:00.000Z");
    const poison = { ...good, appointmentId: "not-an-id" };
    const other = h.appointment(h.patientAndDoctor(), "2027-04-03T09:00:00.000Z");
    await h.publish(STREAMS.appointments, [
      { type: "AppointmentBooked", data: good },
      { type: "AppointmentBooked", data: poison },
      { type: "AppointmentBooked", data: other },
    ]);
    const booked = await queryDatabase<{ appointment_id: string }>(
      h.db.url,
      `SELECT appointment_id FROM notifications.deliveries WHERE appointment_id = ANY ($1::uuid[]) AND kind = 'APPOINTMENT_BOOKED'`,
      [[good.appointmentId, other.appointmentId]],
    );
    expect(booked.map((row) => row.appointment_id).sort()).toEqual([good.appointmentId, other.appointmentId].sort());
    const dead = await h.bus.deadLetters(STREAMS.appointments, APPOINTMENTS_GROUP);
    expect(dead.map((letter) => (letter.envelope?.data as { appointmentId: string }).appointmentId)).toEqual(["not-an-id"]);
  });
});
