/**
 * Overbooking (ADMIN only, reason required, audited in history and outbox) and feedback (the patient,
 * once, rating 1–5, only after FULFILLED).
 */
import { describe, expect, it } from "@jest/globals";
import { randomUUID } from "node:crypto";
import { appointmentIn, appointmentRow, newPatient, newStaff, outboxTypes, seedDoctor, slotAt, slotById } from "./support/factories.js";
import { codeOf, useHarness, type Harness } from "./support/harness.js";
import { CANCEL, FEEDBACK, OVERBOOK, REQUEST, type AppointmentView, type BookingView } from "./support/operations.js";

const h = useHarness();

const overbook = (input: Record<string, unknown>, caller = newStaff("ADMIN")) => h.call<{ overbookAppointment: AppointmentView }>(OVERBOOK, { input }, caller);

describe("overbookAppointment", () => {
  it("puts a second live appointment on a BUSY slot, audited: history OVERBOOK with the reason, outbox AppointmentOverbooked (without it)", async () => {
    const taken = await appointmentIn(h, "BOOKED");
    const admin = newStaff("ADMIN");
    const patient = newPatient();
    const res = await overbook({ slotId: taken.slot.id, patientId: patient.userId, reason: "  Post-operative check, cannot wait  " }, admin);
    expect(res.errors).toBeUndefined();
    const appointment = res.data!.overbookAppointment;
    expect(appointment).toMatchObject({
      status: "BOOKED",
      overbooked: true,
      reason: "Post-operative check, cannot wait",
      patient: { id: patient.userId },
      doctor: { id: taken.doctor.id },
      startsAt: taken.slot.startsAt.toISOString(),
    });
    expect(appointment.history).toEqual([
      expect.objectContaining({
        action: "OVERBOOK",
        actorId: admin.userId,
        actorRole: "ADMIN",
        fromStatus: null,
        toStatus: "BOOKED",
        reason: "Post-operative check, cannot wait",
      }),
    ]);
    expect(await outboxTypes(h, appointment.id)).toEqual(["AppointmentOverbooked", "AppointmentBooked"]);
    const overbooked = await h.prisma.outboxEvent.findFirstOrThrow({ where: { aggregateId: appointment.id, type: "AppointmentOverbooked" } });
    expect(overbooked.payload).toMatchObject({ appointmentId: appointment.id, actorId: admin.userId });
    // The reason is free text (PHI): it stays sealed in scheduling and never travels the event bus.
    expect(overbooked.payload).not.toHaveProperty("reason");
    expect(JSON.stringify(overbooked.payload)).not.toMatch(/Post-operative/);
    expect(await h.prisma.appointment.count({ where: { slotId: taken.slot.id, status: "BOOKED" } })).toBe(2);
    expect((await slotById(h, taken.slot.id)).status).toBe("BUSY");
  });

  it("takes a FREE slot too, which becomes BUSY", async () => {
    const doctor = await seedDoctor(h);
    const slot = await slotAt(h, doctor.id, "2026-03-04T10:00");
    expect(codeOf(await overbook({ slotId: slot.id, patientId: newPatient().userId, reason: "Only time the patient can come" }))).toBe("OK");
    expect((await slotById(h, slot.id)).status).toBe("BUSY");
  });

  it.each([
    ["an empty reason", { reason: "   " }, "input.reason"],
    ["a too short reason", { reason: "ok" }, "input.reason"],
    ["a malformed patient id", { patientId: "p1" }, "input.patientId"],
    ["a service the doctor does not offer", { serviceId: randomUUID() }, "input.serviceId"],
  ])("refuses %s (BAD_USER_INPUT), writing nothing", async (_name, override, field) => {
    const taken = await appointmentIn(h, "BOOKED");
    const res = await overbook({ slotId: taken.slot.id, patientId: newPatient().userId, reason: "A good reason", ...override });
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field });
    expect(await h.prisma.appointment.count({ where: { slotId: taken.slot.id } })).toBe(1);
  });

  it("refuses an unknown slot (NOT_FOUND) and a time that is over", async () => {
    expect(codeOf(await overbook({ slotId: randomUUID(), patientId: newPatient().userId, reason: "A good reason" }))).toBe("NOT_FOUND");
    const taken = await appointmentIn(h, "BOOKED");
    h.clock.set("2026-03-05T00:00:00Z");
    expect(codeOf(await overbook({ slotId: taken.slot.id, patientId: newPatient().userId, reason: "A good reason" }))).toBe("BAD_USER_INPUT");
  });

  it("keeps the slot taken while either appointment is live", async () => {
    const taken = await appointmentIn(h, "BOOKED");
    const extra = (await overbook({ slotId: taken.slot.id, patientId: newPatient().userId, reason: "Urgent, squeeze in" })).data!.overbookAppointment;
    await h.call(CANCEL, { id: taken.appointment.id }, taken.patient);
    expect((await slotById(h, taken.slot.id)).status).toBe("BUSY");
    // The overbooked patient still has this time: nobody else may book it.
    const res = await h.call<{ requestAppointment: BookingView }>(REQUEST, { input: { slotId: taken.slot.id } }, newPatient());
    expect(res.data?.requestAppointment.__typename).toBe("SlotUnavailable");
    expect(await h.prisma.appointment.count({ where: { slotId: taken.slot.id, status: "BOOKED" } })).toBe(1);

    await h.call(CANCEL, { id: extra.id }, newStaff("ADMIN"));
    expect((await slotById(h, taken.slot.id)).status).toBe("FREE");
  });
});

describe("submitFeedback", () => {
  const feedback = (id: string, rating: number, caller: Parameters<Harness["call"]>[2], comment?: string) =>
    h.call<{ submitFeedback: AppointmentView }>(FEEDBACK, { id, rating, comment }, caller);

  it("is refused before the visit is FULFILLED (CONFLICT)", async () => {
    for (const status of ["PENDING", "BOOKED", "CHECKED_IN", "CANCELLED"] as const) {
      const made = await appointmentIn(h, status);
      expect(codeOf(await feedback(made.appointment.id, 5, made.patient))).toBe("CONFLICT");
    }
  });

  it("takes a rating 1–5 with a comment once; a second attempt is a CONFLICT and changes nothing", async () => {
    const made = await appointmentIn(h, "FULFILLED");
    h.clock.advanceMinutes(90);
    const res = await feedback(made.appointment.id, 5, made.patient, "  Very thorough  ");
    expect(res.data?.submitFeedback.feedback).toEqual({ rating: 5, comment: "Very thorough", submittedAt: "2026-03-02T09:30:00.000Z", hidden: false });
    expect(res.data?.submitFeedback.allowedTransitions).toEqual([]);
    expect(await outboxTypes(h, made.appointment.id)).toContain("FeedbackSubmitted");

    const again = await feedback(made.appointment.id, 1, made.patient, "Changed my mind");
    expect(codeOf(again)).toBe("CONFLICT");
    const row = await appointmentRow(h, made.appointment.id);
    expect(row.feedbackRating).toBe(5);
    expect(h.deps.cipher.decrypt(row.feedbackCommentEnc!)).toBe("Very thorough");
    expect((await outboxTypes(h, made.appointment.id)).filter((t) => t === "FeedbackSubmitted")).toHaveLength(1);
  });

  it.each([0, 6, -1])("refuses rating %d (BAD_USER_INPUT)", async (rating) => {
    const made = await appointmentIn(h, "FULFILLED");
    const res = await feedback(made.appointment.id, rating, made.patient);
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "rating" });
    expect((await appointmentRow(h, made.appointment.id)).feedbackAt).toBeNull();
  });

  it("refuses a comment over 2000 characters", async () => {
    const made = await appointmentIn(h, "FULFILLED");
    expect(codeOf(await feedback(made.appointment.id, 3, made.patient, "x".repeat(2001)))).toBe("BAD_USER_INPUT");
  });
});
