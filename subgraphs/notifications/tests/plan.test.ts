/** The ledger's rules: who hears of what, which reminders an appointment has, dedupe keys, retry backoff. */
import { describe, expect, it } from "@jest/globals";
import { randomUUID } from "node:crypto";
import {
  appointmentNotices,
  changedBy,
  desiredReminders,
  nextAttemptAt,
  planAppointmentNotices,
  planExaminationNotices,
  planInvoiceNotices,
  upcoming,
  type AppointmentEventFacts,
  type InvoiceEventFacts,
} from "../src/domain/plan.js";
import type { AppointmentState, Preferences } from "../src/domain/types.js";

const patientId = randomUUID();
const doctorUserId = randomUUID();
const data = (patch: Partial<AppointmentEventFacts> = {}): AppointmentEventFacts => ({
  appointmentId: randomUUID(),
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
const state = (patch: Partial<AppointmentState> = {}): AppointmentState => ({
  appointmentId: randomUUID(),
  patientId,
  doctorId: randomUUID(),
  doctorUserId,
  serviceId: null,
  status: "BOOKED",
  startsAt: new Date("2027-03-29T07:00:00.000Z"),
  endsAt: new Date("2027-03-29T07:30:00.000Z"),
  lastEventAt: new Date("2027-03-01T00:00:00Z"),
  ...patch,
});
const prefs = (patch: Partial<Preferences> = {}): Preferences => ({ language: "en", channels: ["EMAIL"], reminderOffsetsMinutes: [1440, 60], ...patch });
const now = new Date("2027-03-20T10:00:00Z");

describe("who hears of an appointment event", () => {
  it.each([
    ["AppointmentRequested", { status: "PENDING" }, ["doctor:APPOINTMENT_REQUESTED"]],
    ["AppointmentRequested", { status: "BOOKED" }, []],
    ["AppointmentRequested", { status: "PENDING", actorId: null }, ["patient:WAITLIST_OFFER", "doctor:APPOINTMENT_REQUESTED"]],
    ["AppointmentRequested", { status: "BOOKED", actorId: null }, ["patient:WAITLIST_OFFER"]],
    ["AppointmentBooked", {}, ["patient:APPOINTMENT_BOOKED"]],
    ["AppointmentBooked", { actorId: null }, []],
    ["AppointmentRejected", { status: "REJECTED" }, ["patient:APPOINTMENT_REJECTED"]],
    ["AppointmentRescheduled", {}, ["patient:APPOINTMENT_RESCHEDULED", "doctor:APPOINTMENT_RESCHEDULED"]],
    ["AppointmentCancelled", { status: "CANCELLED" }, ["patient:APPOINTMENT_CANCELLED", "doctor:APPOINTMENT_CANCELLED"]],
    ["AppointmentExpired", { status: "EXPIRED", actorId: null }, ["patient:HOLD_EXPIRED"]],
    ["AppointmentFulfilled", { status: "FULFILLED", actorId: null }, ["patient:FEEDBACK_REQUEST"]],
    ["PatientCheckedIn", { status: "CHECKED_IN" }, []],
    ["AppointmentNoShow", { status: "NO_SHOW" }, []],
    ["FeedbackSubmitted", {}, []],
  ] as const)("%s %j → %j", (type, patch, expected) => {
    expect(appointmentNotices(type, data(patch)).map((n) => `${n.to}:${n.kind}`)).toEqual(expected);
  });

  it("one delivery per recipient and channel, keyed by the event (a redelivery plans the same keys)", () => {
    const preferences = new Map([[patientId, prefs({ channels: ["EMAIL", "PUSH"] })]]);
    const event = data({ status: "CANCELLED" });
    const first = planAppointmentNotices("event-1", "AppointmentCancelled", event, preferences, now);
    expect(first.map((d) => `${d.recipientId === patientId ? "patient" : "doctor"}:${d.channel}`)).toEqual(["patient:EMAIL", "patient:PUSH", "doctor:EMAIL"]);
    expect(planAppointmentNotices("event-1", "AppointmentCancelled", event, preferences, now).map((d) => d.dedupeKey)).toEqual(first.map((d) => d.dedupeKey));
    expect(new Set(first.map((d) => d.dedupeKey)).size).toBe(3);
    expect(first.every((d) => d.dueAt === now && d.facts.changedBy === "patient")).toBe(true);
  });

  it("an event without the doctor's user id cannot reach the doctor", () => {
    const { doctorUserId: _omitted, ...old } = data({ status: "CANCELLED" });
    expect(planAppointmentNotices("e", "AppointmentCancelled", old, new Map(), now).map((d) => d.recipientId)).toEqual([patientId]);
  });

  it("names who made a change", () => {
    expect(changedBy(null, patientId, doctorUserId)).toBe("system");
    expect(changedBy(patientId, patientId, doctorUserId)).toBe("patient");
    expect(changedBy(doctorUserId, patientId, doctorUserId)).toBe("doctor");
    expect(changedBy(randomUUID(), patientId, doctorUserId)).toBe("staff");
  });

  it("examinations: performed tells the doctor, reviewed tells the patient, nothing else tells anyone", () => {
    const exam = { examinationId: randomUUID(), patientId, doctorId: randomUUID(), doctorUserId, serviceId: randomUUID(), orderedAt: now.toISOString() };
    expect(planExaminationNotices("e", "ExaminationPerformed", exam, new Map(), now).map((d) => [d.recipientId, d.facts.audience])).toEqual([
      [doctorUserId, "doctor"],
    ]);
    expect(planExaminationNotices("e", "ExaminationReviewed", exam, new Map(), now).map((d) => [d.recipientId, d.facts.audience])).toEqual([
      [patientId, "patient"],
    ]);
    expect(planExaminationNotices("e", "ExaminationOrdered", exam, new Map(), now)).toEqual([]);
  });
});

describe("who hears of an invoice", () => {
  const invoice = (patch: Partial<InvoiceEventFacts> = {}): InvoiceEventFacts => ({
    invoiceId: randomUUID(),
    patientId,
    number: "2027-000042",
    status: "ISSUED",
    totalMinor: 12345,
    paidMinor: 2000,
    currency: "EUR",
    ...patch,
  });
  const issuedAt = "2027-03-20T09:59:00.000Z";

  it("an issued invoice tells its patient once per channel, keyed by the event, with the invoice alone as facts", () => {
    const data = invoice();
    const preferences = new Map([[patientId, prefs({ channels: ["EMAIL", "SMS"] })]]);
    const planned = planInvoiceNotices("event-7", "InvoiceIssued", data, issuedAt, preferences, now);
    expect(planned.map((d) => [d.recipientId, d.kind, d.channel, d.dueAt])).toEqual([
      [patientId, "INVOICE_ISSUED", "EMAIL", now],
      [patientId, "INVOICE_ISSUED", "SMS", now],
    ]);
    expect(planned.map((d) => d.dedupeKey)).toEqual([`event:event-7:${patientId}:INVOICE_ISSUED:EMAIL`, `event:event-7:${patientId}:INVOICE_ISSUED:SMS`]);
    // A redelivery plans the same keys; another event other ones.
    expect(planInvoiceNotices("event-7", "InvoiceIssued", data, issuedAt, preferences, now).map((d) => d.dedupeKey)).toEqual(planned.map((d) => d.dedupeKey));
    expect(planInvoiceNotices("event-8", "InvoiceIssued", data, issuedAt, preferences, now).some((d) => planned.some((p) => p.dedupeKey === d.dedupeKey))).toBe(
      false,
    );
    // No doctor, appointment or service: nothing is looked up for it but the patient's contact.
    expect(planned[0]).toMatchObject({ appointmentId: null, offsetMinutes: null, startsAt: null });
    expect(planned[0]!.facts).toEqual({
      audience: "patient",
      doctorId: null,
      serviceId: null,
      patientId,
      startsAt: issuedAt,
      invoice: { invoiceId: data.invoiceId, number: "2027-000042", status: "ISSUED", totalMinor: 12345, paidMinor: 2000, currency: "EUR" },
    });
  });

  it("a patient on the defaults hears by e-mail", () => {
    expect(planInvoiceNotices("e", "InvoiceIssued", invoice(), issuedAt, new Map(), now).map((d) => d.channel)).toEqual(["EMAIL"]);
  });

  it.each(["InvoiceVoided", "PaymentReceived", "InvoiceDrafted"])("%s tells nobody", (type) => {
    expect(planInvoiceNotices("e", type, invoice(), issuedAt, new Map(), now)).toEqual([]);
  });
});

describe("reminders", () => {
  it("one per offset and channel of the patient's preferences, due that much elapsed time before (a DST change moves nothing)", () => {
    // 2027-03-29 09:00 CEST; Berlin changed to summer time on the 28th: 24 h before is 08:00 CET local, 07:00Z.
    const reminders = desiredReminders(state(), prefs({ channels: ["EMAIL", "SMS"], reminderOffsetsMinutes: [1440, 60] }));
    expect(reminders.map((r) => `${r.offsetMinutes}:${r.channel}:${r.dueAt.toISOString()}`)).toEqual([
      "1440:EMAIL:2027-03-28T07:00:00.000Z",
      "1440:SMS:2027-03-28T07:00:00.000Z",
      "60:EMAIL:2027-03-29T06:00:00.000Z",
      "60:SMS:2027-03-29T06:00:00.000Z",
    ]);
  });

  it.each(["PENDING", "CANCELLED", "REJECTED", "EXPIRED", "NO_SHOW", "CHECKED_IN", "FULFILLED"])("a %s appointment has none", (status) => {
    expect(desiredReminders(state({ status }), prefs())).toEqual([]);
  });

  it("keys name the start they are for: a moved appointment's reminders are new ones", () => {
    const s = state();
    const before = desiredReminders(s, prefs()).map((r) => r.dedupeKey);
    const after = desiredReminders({ ...s, startsAt: new Date("2027-03-30T07:00:00Z") }, prefs()).map((r) => r.dedupeKey);
    expect(before.filter((key) => after.includes(key))).toEqual([]);
    expect(desiredReminders(s, prefs()).map((r) => r.dedupeKey)).toEqual(before);
  });

  it("a reminder whose time has passed is not created", () => {
    const reminders = desiredReminders(state(), prefs());
    expect(upcoming(reminders, new Date("2027-03-28T12:00:00Z")).map((r) => r.offsetMinutes)).toEqual([60]);
    expect(upcoming(reminders, new Date("2027-03-29T06:00:00Z"))).toEqual([]);
  });
});

describe("retries", () => {
  it("back off 30 s, 1, 2, 4, 8 min, and stop after 6 attempts", () => {
    const at = new Date("2027-01-01T00:00:00Z");
    const delays = [1, 2, 3, 4, 5].map((attempts) => (nextAttemptAt(attempts, at)!.getTime() - at.getTime()) / 1000);
    expect(delays).toEqual([30, 60, 120, 240, 480]);
    expect(nextAttemptAt(6, at)).toBeNull();
  });

  it("never wait longer than the cap", () => {
    expect(nextAttemptAt(20, new Date(0), { firstDelayMs: 30_000, maxDelayMs: 3_600_000, maxAttempts: 50 })!.getTime()).toBe(3_600_000);
  });
});
