/**
 * Every state change writes its history row and its outbox event in the same transaction: the event types
 * per action (scheduling.outbox), the history as callers see it, and — with a trigger that makes the outbox
 * insert fail — proof that the state change rolls back with the event.
 */
import { describe, expect, it } from "@jest/globals";
import { randomBytes } from "node:crypto";
import { expireHolds } from "../src/index.js";
import {
  at,
  appointmentIn,
  appointmentRow,
  historyActions,
  newPatient,
  newStaff,
  outboxTypes,
  seedDoctor,
  slotAt,
  slotById,
  type MadeAppointment,
} from "./support/factories.js";
import { codeOf, useHarness, type Harness } from "./support/harness.js";
import * as op from "./support/operations.js";
import type { AppointmentView, BookingView, WaitlistView } from "./support/operations.js";

const h = useHarness();

const must = async <T>(query: string, variables: Record<string, unknown>, caller: Parameters<Harness["call"]>[2]) => {
  const res = await h.call<T>(query, variables, caller);
  expect(res.errors).toBeUndefined();
  return res.data!;
};
const byHttp =
  (query: string, who: (m: MadeAppointment) => Parameters<Harness["call"]>[2], vars: Record<string, unknown> = {}) =>
  async (m: MadeAppointment) => {
    await must(query, { id: m.appointment.id, ...vars }, who(m));
    return m.appointment.id;
  };

const REQ = "AppointmentRequested";
const BOOKED = "AppointmentBooked";
type Row = [action: string, from: "PENDING" | "BOOKED" | "CHECKED_IN" | "FULFILLED", run: (m: MadeAppointment) => Promise<string>, events: string[]];

const ROWS: Row[] = [
  ["approve", "PENDING", byHttp(op.APPROVE, (m) => m.doctor.caller), [REQ, BOOKED]],
  ["reject", "PENDING", byHttp(op.REJECT, (m) => m.doctor.caller, { reason: "Not my field" }), [REQ, "AppointmentRejected"]],
  ["cancel", "BOOKED", byHttp(op.CANCEL, (m) => m.patient), [REQ, BOOKED, "AppointmentCancelled"]],
  ["check in", "BOOKED", byHttp(op.CHECK_IN, () => newStaff("RECEPTIONIST")), [REQ, BOOKED, "PatientCheckedIn"]],
  [
    "no-show",
    "BOOKED",
    async (m) => {
      h.clock.set(at("2026-03-02T14:30"));
      return byHttp(op.NO_SHOW, (x) => x.doctor.caller)(m);
    },
    [REQ, BOOKED, "AppointmentNoShow"],
  ],
  ["fulfil", "CHECKED_IN", byHttp(op.FULFILL, (m) => m.doctor.caller), [REQ, BOOKED, "PatientCheckedIn", "AppointmentFulfilled"]],
  [
    "feedback",
    "FULFILLED",
    byHttp(op.FEEDBACK, (m) => m.patient, { rating: 4 }),
    [REQ, BOOKED, "PatientCheckedIn", "AppointmentFulfilled", "FeedbackSubmitted"],
  ],
  [
    "reschedule",
    "BOOKED",
    async (m) => {
      const slot = await slotAt(h, m.doctor.id, "2026-03-02T16:00");
      await must(op.RESCHEDULE, { id: m.appointment.id, slotId: slot.id }, m.patient);
      return m.appointment.id;
    },
    [REQ, BOOKED, "AppointmentRescheduled"],
  ],
  [
    "expire",
    "PENDING",
    async (m) => {
      h.clock.advanceMinutes(15);
      await expireHolds(h.deps);
      return m.appointment.id;
    },
    [REQ, "AppointmentExpired"],
  ],
  [
    "overbook",
    "BOOKED",
    async (m) => {
      const data = await must<{ overbookAppointment: AppointmentView }>(
        op.OVERBOOK,
        { input: { slotId: m.slot.id, patientId: newPatient().userId, reason: "Emergency follow-up" } },
        newStaff("ADMIN"),
      );
      return data.overbookAppointment.id;
    },
    ["AppointmentOverbooked", BOOKED],
  ],
  [
    "waitlist offer",
    "BOOKED",
    async (m) => {
      const waiting = newPatient();
      const input = { doctorId: m.doctor.id, from: "2026-03-02T00:00:00Z", to: "2026-03-03T00:00:00Z" };
      const entry = (await must<{ joinWaitlist: WaitlistView }>(op.JOIN_WAITLIST, { input }, waiting)).joinWaitlist;
      await must(op.CANCEL, { id: m.appointment.id }, m.patient);
      const offered = await h.prisma.waitlistEntry.findUniqueOrThrow({ where: { id: entry.id } });
      return offered.offeredAppointmentId!;
    },
    [REQ],
  ],
];

describe("outbox: one event per state change, in scheduling.outbox", () => {
  it("a request writes AppointmentRequested, and AppointmentBooked too when the doctor auto-approves", async () => {
    const manual = await appointmentIn(h, "PENDING");
    expect(await outboxTypes(h, manual.appointment.id)).toEqual([REQ]);
    const auto = await appointmentIn(h, "PENDING", { doctor: await seedDoctor(h, { autoApprove: true }) });
    expect(auto.appointment.status).toBe("BOOKED");
    expect(await outboxTypes(h, auto.appointment.id)).toEqual([REQ, BOOKED]);
  });

  it.each(ROWS)("%s (from %s)", async (_action, from, run, events) => {
    const made = await appointmentIn(h, from, { local: "2026-03-02T14:00" });
    const id = await run(made);
    expect(await outboxTypes(h, id)).toEqual(events);
    const appointment = await appointmentRow(h, id);
    const last = await h.prisma.outboxEvent.findFirstOrThrow({ where: { aggregateId: id }, orderBy: { sequence: "desc" } });
    expect(last.payload).toMatchObject({ appointmentId: id, patientId: appointment.patientId, doctorId: appointment.doctorId, status: appointment.status });
    expect(last.occurredAt).toEqual(h.clock.now());
    expect(last.publishedAt).toBeNull();
  });

  it("a refused or unavailable action writes no event and no history", async () => {
    const made = await appointmentIn(h, "BOOKED");
    const taken = await appointmentIn(h, "BOOKED", { doctor: made.doctor, local: "2026-03-05T10:00" });
    const before = [await outboxTypes(h, made.appointment.id), await historyActions(h, made.appointment.id)];
    expect(codeOf(await h.call(op.APPROVE, { id: made.appointment.id }, made.doctor.caller))).toBe("CONFLICT");
    expect(codeOf(await h.call(op.CANCEL, { id: made.appointment.id }, newPatient()))).toBe("FORBIDDEN");
    const moved = await h.call<{ rescheduleAppointment: BookingView }>(op.RESCHEDULE, { id: made.appointment.id, slotId: taken.slot.id }, made.patient);
    expect(moved.data?.rescheduleAppointment.__typename).toBe("SlotUnavailable");
    expect([await outboxTypes(h, made.appointment.id), await historyActions(h, made.appointment.id)]).toEqual(before);
  });

  it("the event is written in the state change's transaction: when the outbox insert fails, nothing changed", async () => {
    const token = `boom-${randomBytes(4).toString("hex")}`;
    const made = await appointmentIn(h, "BOOKED");
    // Payloads carry no free text: the trigger picks this appointment's cancellation by id and type.
    await h.prisma.$executeRawUnsafe(`CREATE FUNCTION scheduling.fail_${token.replace("-", "_")}() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.payload->>'appointmentId' = '${made.appointment.id}' AND NEW.type = 'AppointmentCancelled' THEN RAISE EXCEPTION 'outbox unavailable'; END IF; RETURN NEW; END $$`);
    await h.prisma.$executeRawUnsafe(`CREATE TRIGGER fail_${token.replace("-", "_")} BEFORE INSERT ON scheduling.outbox
      FOR EACH ROW EXECUTE FUNCTION scheduling.fail_${token.replace("-", "_")}()`);
    try {
      const res = await h.call(op.CANCEL, { id: made.appointment.id, reason: token }, made.patient);
      expect(codeOf(res)).toBe("INTERNAL");
      expect((await appointmentRow(h, made.appointment.id)).status).toBe("BOOKED");
      expect((await slotById(h, made.slot.id)).status).toBe("BUSY");
      expect(await historyActions(h, made.appointment.id)).toEqual(["REQUEST", "APPROVE"]);
    } finally {
      await h.prisma.$executeRawUnsafe(`DROP TRIGGER fail_${token.replace("-", "_")} ON scheduling.outbox`);
    }
  });
});

describe("history", () => {
  const HISTORY = `query($id: ID!) { appointment(id: $id) { history { action fromStatus toStatus actorRole actorId reason } } }`;

  it("records each step of the life cycle with who did it, in order", async () => {
    const doctor = await seedDoctor(h);
    const patient = newPatient();
    const reception = newStaff("RECEPTIONIST");
    const slot = await slotAt(h, doctor.id, "2026-03-02T14:00");
    const requested = (await must<{ requestAppointment: BookingView }>(op.REQUEST, { input: { slotId: slot.id, reason: "Check-up" } }, patient))
      .requestAppointment;
    const id = (requested as AppointmentView).id;
    await must(op.APPROVE, { id }, doctor.caller);
    await must(op.CHECK_IN, { id }, reception);
    await must(op.FULFILL, { id }, doctor.caller);
    const data = await must<{ appointment: AppointmentView }>(HISTORY, { id }, patient);
    expect(data.appointment.history).toEqual([
      { action: "REQUEST", fromStatus: null, toStatus: "PENDING", actorRole: "PATIENT", actorId: patient.userId, reason: "Check-up" },
      { action: "APPROVE", fromStatus: "PENDING", toStatus: "BOOKED", actorRole: "DOCTOR", actorId: doctor.caller.userId, reason: null },
      { action: "CHECK_IN", fromStatus: "BOOKED", toStatus: "CHECKED_IN", actorRole: "RECEPTIONIST", actorId: reception.userId, reason: null },
      { action: "FULFILL", fromStatus: "CHECKED_IN", toStatus: "FULFILLED", actorRole: "DOCTOR", actorId: doctor.caller.userId, reason: null },
    ]);
  });

  it("keeps the reason of a rejection and of a cancellation, and the admin who acted", async () => {
    const pending = await appointmentIn(h, "PENDING");
    await must(op.REJECT, { id: pending.appointment.id, reason: "Please see a cardiologist" }, pending.doctor.caller);
    const booked = await appointmentIn(h, "BOOKED");
    const admin = newStaff("ADMIN");
    await must(op.CANCEL, { id: booked.appointment.id, reason: "Doctor ill" }, admin);
    const rejected = (await must<{ appointment: AppointmentView }>(HISTORY, { id: pending.appointment.id }, pending.patient)).appointment.history.at(-1);
    const cancelled = (await must<{ appointment: AppointmentView }>(HISTORY, { id: booked.appointment.id }, booked.patient)).appointment.history.at(-1);
    expect(rejected).toMatchObject({ action: "REJECT", fromStatus: "PENDING", toStatus: "REJECTED", reason: "Please see a cardiologist" });
    expect(cancelled).toMatchObject({
      action: "CANCEL",
      fromStatus: "BOOKED",
      toStatus: "CANCELLED",
      actorRole: "ADMIN",
      actorId: admin.userId,
      reason: "Doctor ill",
    });
  });
});
