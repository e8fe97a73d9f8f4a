/** A block's events of one appointment, folded: the state they leave, the deliveries they add, the reminders kept. */
import { describe, expect, it } from "@jest/globals";
import { randomUUID } from "node:crypto";
import { appointmentStateOf, foldAppointmentEvents, type IncomingEvent } from "../src/domain/intake.js";
import type { AppointmentEventFacts } from "../src/domain/plan.js";
import type { Preferences } from "../src/domain/types.js";

const patientId = randomUUID();
const doctorUserId = randomUUID();
const appointmentId = randomUUID();
const data = (patch: Partial<AppointmentEventFacts> = {}): AppointmentEventFacts => ({
  appointmentId,
  patientId,
  doctorId: randomUUID(),
  doctorUserId,
  serviceId: null,
  status: "BOOKED",
  startsAt: "2027-03-29T07:00:00.000Z",
  endsAt: "2027-03-29T07:30:00.000Z",
  actorId: patientId,
  ...patch,
});
const event = (type: string, facts: AppointmentEventFacts, time = "2027-03-20T09:00:00.000Z"): IncomingEvent<AppointmentEventFacts> => ({
  id: randomUUID(),
  type,
  time,
  data: facts,
});
const now = new Date("2027-03-20T10:00:00Z");
const none = new Map<string, Preferences>();

describe("folding one appointment's events of a block", () => {
  it("a request booked at once: the booking's confirmation, and the reminders once", () => {
    const booked = data();
    const [requested, confirmed] = [event("AppointmentRequested", booked), event("AppointmentBooked", booked)];
    const fold = foldAppointmentEvents(appointmentStateOf(requested), [requested, confirmed], none, now);
    expect(fold.changed).toBe(false); // the row was created from the request's state, which the booking repeats
    expect(fold.deliveries.map((d) => `${d.kind}:${d.status}:${d.offsetMinutes ?? "-"}`)).toEqual([
      "APPOINTMENT_BOOKED:SCHEDULED:-",
      "APPOINTMENT_REMINDER:SCHEDULED:1440",
      "APPOINTMENT_REMINDER:SCHEDULED:60",
    ]);
    expect(fold.keep).toHaveLength(2);
    expect(fold.keptThroughout).toEqual(fold.keep);
  });

  it("booked then moved: the first start's reminders are added cancelled, only the new start's are kept", () => {
    const booked = data();
    const moved = data({ ...booked, startsAt: "2027-03-30T07:00:00.000Z", endsAt: "2027-03-30T07:30:00.000Z", previousStartsAt: booked.startsAt });
    const first = event("AppointmentBooked", booked, "2027-03-20T09:00:00.000Z");
    const fold = foldAppointmentEvents(appointmentStateOf(first), [first, event("AppointmentRescheduled", moved, "2027-03-20T09:05:00.000Z")], none, now);
    expect(fold.changed).toBe(true);
    expect(fold.state.startsAt.toISOString()).toBe("2027-03-30T07:00:00.000Z");
    const reminders = fold.deliveries.filter((d) => d.kind === "APPOINTMENT_REMINDER");
    expect(reminders.map((d) => `${d.startsAt!.toISOString()}:${d.status}`)).toEqual([
      "2027-03-29T07:00:00.000Z:CANCELLED",
      "2027-03-29T07:00:00.000Z:CANCELLED",
      "2027-03-30T07:00:00.000Z:SCHEDULED",
      "2027-03-30T07:00:00.000Z:SCHEDULED",
    ]);
    expect(fold.keep.every((key) => key.endsWith("2027-03-30T07:00:00.000Z"))).toBe(true);
    expect(fold.keptThroughout).toEqual([]);
  });

  it("an event older than the state changes nothing and tells nobody", () => {
    const cancelled = event("AppointmentCancelled", data({ status: "CANCELLED" }), "2027-03-20T09:10:00.000Z");
    const stored = appointmentStateOf(cancelled);
    const fold = foldAppointmentEvents(stored, [event("AppointmentBooked", data(), "2027-03-20T09:00:00.000Z")], none, now);
    expect(fold).toEqual({ state: stored, changed: false, deliveries: [], keep: [], keptThroughout: [] });
  });

  it("the doctor left (DOCTOR_DEACTIVATED): the patient is told to rebook and the reminders stop; a later change sets them again", () => {
    const booked = event("AppointmentBooked", data(), "2027-03-20T09:00:00.000Z");
    const left = event("AppointmentNeedsAttention", data({ attentionReason: "DOCTOR_DEACTIVATED", actorId: null }), "2027-03-20T09:10:00.000Z");
    const fold = foldAppointmentEvents(appointmentStateOf(booked), [left], none, now);
    expect(fold.deliveries.map((d) => `${d.kind}:${d.status}`)).toEqual(["APPOINTMENT_NEEDS_REBOOKING:SCHEDULED"]);
    expect(fold.keep).toEqual([]); // the stored reminders are cancelled
    expect(fold.keptThroughout).toEqual([]);

    const moved = data({ startsAt: "2027-03-30T07:00:00.000Z", endsAt: "2027-03-30T07:30:00.000Z", actorId: randomUUID() });
    const after = foldAppointmentEvents(fold.state, [event("AppointmentRescheduled", moved, "2027-03-20T09:20:00.000Z")], none, now);
    expect(after.keep).toHaveLength(2);
    expect(after.keep.every((key) => key.endsWith("2027-03-30T07:00:00.000Z"))).toBe(true);
  });

  it("other reasons (for staff) keep the reminders, and so does a DOCTOR_DEACTIVATED older than the state", () => {
    const booked = event("AppointmentBooked", data(), "2027-03-20T09:00:00.000Z");
    const wanted = foldAppointmentEvents(appointmentStateOf(booked), [booked], none, now).keep;
    expect(wanted).toHaveLength(2);
    const changed = event("AppointmentNeedsAttention", data({ attentionReason: "SCHEDULE_CHANGED" }), "2027-03-20T09:10:00.000Z");
    expect(foldAppointmentEvents(appointmentStateOf(booked), [changed], none, now).keep).toEqual(wanted);
    const later = event("AppointmentBooked", data(), "2027-03-20T09:30:00.000Z");
    const stale = event("AppointmentNeedsAttention", data({ attentionReason: "DOCTOR_DEACTIVATED" }), "2027-03-20T09:10:00.000Z");
    expect(foldAppointmentEvents(appointmentStateOf(later), [stale], none, now).keep).toEqual(wanted);
  });

  it("keeps the doctor's user id an event without it does not know", () => {
    const first = event("AppointmentBooked", data());
    const later = data({ status: "CANCELLED" });
    delete later.doctorUserId;
    const fold = foldAppointmentEvents(appointmentStateOf(first), [event("AppointmentCancelled", later, "2027-03-20T09:30:00.000Z")], none, now);
    expect(fold.state).toMatchObject({ status: "CANCELLED", doctorUserId });
  });
});
