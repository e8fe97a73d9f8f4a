/**
 * requestAppointment: holds for manual-approval doctors, direct booking for auto-approving ones, the typed
 * SlotUnavailable answer with ranked alternatives, minimum notice, the per-patient daily limit (in the
 * doctor's local day), and input validation.
 */
import { describe, expect, it } from "@jest/globals";
import { randomUUID } from "node:crypto";
import { ANONYMOUS, at, historyActions, newPatient, newStaff, outboxTypes, request, seedDoctor, slotAt, uniqueSpecialty } from "./support/factories.js";
import { codeOf, useHarness } from "./support/harness.js";
import { AVAILABLE, REQUEST, type AppointmentView, type BookingView, type SlotUnavailableView, type SlotView } from "./support/operations.js";

const h = useHarness();

const book = async (input: Record<string, unknown>, caller = newPatient()) => {
  const res = await h.call<{ requestAppointment: BookingView }>(REQUEST, { input }, caller);
  return { res, result: res.data?.requestAppointment };
};
const asAppointment = (result: BookingView | undefined) => {
  expect(result?.__typename).toBe("Appointment");
  return result as AppointmentView;
};
const asUnavailable = (result: BookingView | undefined) => {
  expect(result?.__typename).toBe("SlotUnavailable");
  return result as SlotUnavailableView;
};

describe("taking a free slot", () => {
  it("holds the slot as PENDING until now + hold minutes for a doctor who approves manually", async () => {
    const doctor = await seedDoctor(h, { autoApprove: false });
    const slot = await slotAt(h, doctor.id, "2026-03-04T10:00");
    const patient = newPatient();
    const { res, result } = await book({ slotId: slot.id, reason: "  Chest pain  " }, patient);
    expect(res.errors).toBeUndefined();
    const appointment = asAppointment(result);
    expect(appointment).toMatchObject({
      status: "PENDING",
      holdExpiresAt: "2026-03-02T08:15:00.000Z",
      startsAt: slot.startsAt.toISOString(),
      endsAt: slot.endsAt.toISOString(),
      reason: "Chest pain",
      patient: { id: patient.userId },
      doctor: { id: doctor.id },
      overbooked: false,
    });
    expect(appointment.history).toEqual([expect.objectContaining({ action: "REQUEST", fromStatus: null, toStatus: "PENDING", actorRole: "PATIENT" })]);
    expect((await h.prisma.slot.findUniqueOrThrow({ where: { id: slot.id } })).status).toBe("BUSY");
    expect(await outboxTypes(h, appointment.id)).toEqual(["AppointmentRequested"]);
  });

  it("books at once (BOOKED, no hold) for an auto-approving doctor", async () => {
    const doctor = await seedDoctor(h, { autoApprove: true });
    const slot = await slotAt(h, doctor.id, "2026-03-04T10:00");
    const appointment = asAppointment((await book({ slotId: slot.id, serviceId: doctor.snapshot.serviceIds[0] })).result);
    expect(appointment).toMatchObject({ status: "BOOKED", holdExpiresAt: null, service: { id: doctor.snapshot.serviceIds[0] } });
    expect(await outboxTypes(h, appointment.id)).toEqual(["AppointmentRequested", "AppointmentBooked"]);
  });

  it("lets reception book for a named patient", async () => {
    const doctor = await seedDoctor(h);
    const patient = newPatient();
    const receptionist = newStaff("RECEPTIONIST");
    const slot = await slotAt(h, doctor.id, "2026-03-04T10:00");
    const appointment = asAppointment((await book({ slotId: slot.id, patientId: patient.userId }, receptionist)).result);
    expect(appointment.patient.id).toBe(patient.userId);
    expect(appointment.history[0]).toMatchObject({ action: "REQUEST", actorId: receptionist.userId, actorRole: "RECEPTIONIST" });
  });

  it("gives a slot to exactly one of many patients asking at once", async () => {
    const doctor = await seedDoctor(h);
    const slot = await slotAt(h, doctor.id, "2026-03-04T10:00");
    const results = await Promise.all(Array.from({ length: 12 }, () => book({ slotId: slot.id })));
    expect(results.every(({ res }) => res.status === 200 && res.errors === undefined)).toBe(true);
    expect(results.filter(({ result }) => result?.__typename === "Appointment")).toHaveLength(1);
    expect(await h.prisma.appointment.count({ where: { slotId: slot.id } })).toBe(1);
  });
});

describe("when the slot cannot be taken", () => {
  it("answers SlotUnavailable with the same doctor's nearest times first, then other doctors offering the service", async () => {
    const specialty = uniqueSpecialty();
    const service = randomUUID();
    const wanted = await seedDoctor(h, { specialtyCode: specialty, serviceIds: [service] });
    const sameService = await seedDoctor(h, { specialtyCode: specialty, serviceIds: [service, randomUUID()] });
    const sameSpecialtyOnly = await seedDoctor(h, { specialtyCode: specialty, serviceIds: [randomUUID()] });
    const otherSpecialtySameService = await seedDoctor(h, { specialtyCode: uniqueSpecialty(), serviceIds: [service] });
    const slot = await slotAt(h, wanted.id, "2026-03-04T10:00");
    await request(h, newPatient(), slot.id);

    const withService = asUnavailable((await book({ slotId: slot.id, serviceId: service })).result);
    expect(withService.message).toMatch(/taken/);
    expect(withService.alternatives.slice(0, 5).map((s) => [s.doctor.id, s.startsAt])).toEqual(
      ["09:30", "10:30", "09:00", "11:00", "11:30"].map((t) => [wanted.id, at(`2026-03-04T${t}`).toISOString()]),
    );
    const others = withService.alternatives.slice(5);
    expect(others).toHaveLength(5);
    expect(new Set(others.map((s) => s.doctor.id))).toEqual(new Set([sameService.id, otherSpecialtySameService.id]));
    expect(others.slice(0, 2).map((s) => s.startsAt)).toEqual([slot.startsAt.toISOString(), slot.startsAt.toISOString()]);
    expect(withService.alternatives.every((s) => s.status === "FREE")).toBe(true);

    const withoutService = asUnavailable((await book({ slotId: slot.id })).result);
    expect(new Set(withoutService.alternatives.slice(5).map((s) => s.doctor.id))).toEqual(new Set([sameService.id, sameSpecialtyOnly.id]));
  });

  it("refuses a time within the minimum notice (SlotUnavailable), and takes one exactly at it", async () => {
    const doctor = await seedDoctor(h);
    const tooSoon = asUnavailable((await book({ slotId: (await slotAt(h, doctor.id, "2026-03-02T09:30")).id })).result);
    expect(tooSoon).toMatchObject({ code: "TOO_SOON", message: expect.stringMatching(/too soon.*60 minutes/) });
    expect(tooSoon.alternatives.every((s) => new Date(s.startsAt) >= new Date("2026-03-02T09:00:00Z"))).toBe(true);
    const justInTime = await book({ slotId: (await slotAt(h, doctor.id, "2026-03-02T10:00")).id });
    expect(justInTime.result?.__typename).toBe("Appointment");
  });

  it("refuses a blocked (time-off) slot with SlotUnavailable", async () => {
    const doctor = await seedDoctor(h, { timeOff: [{ from: "2026-03-04T00:00:00+01:00", to: "2026-03-05T00:00:00+01:00" }] });
    const blocked = await slotAt(h, doctor.id, "2026-03-04T10:00");
    expect(blocked.status).toBe("BLOCKED");
    expect(asUnavailable((await book({ slotId: blocked.id })).result)).toMatchObject({
      code: "DOCTOR_UNAVAILABLE",
      message: expect.stringMatching(/not available/),
    });
  });

  it.each([
    ["a malformed slot id", () => ({ slotId: "slot-1" }), "BAD_USER_INPUT"],
    ["a malformed service id", (slotId: string) => ({ slotId, serviceId: "x" }), "BAD_USER_INPUT"],
    ["a service the doctor does not offer", (slotId: string) => ({ slotId, serviceId: randomUUID() }), "BAD_USER_INPUT"],
    ["a reason over 1000 characters", (slotId: string) => ({ slotId, reason: "x".repeat(1001) }), "BAD_USER_INPUT"],
    ["an unknown slot", () => ({ slotId: randomUUID() }), "NOT_FOUND"],
  ])("answers %s with %s", async (_name, input, code) => {
    const doctor = await seedDoctor(h);
    const { res } = await book(input((await slotAt(h, doctor.id, "2026-03-04T10:00")).id));
    expect(codeOf(res)).toBe(code);
    expect(await h.prisma.appointment.count({ where: { doctorId: doctor.id } })).toBe(0);
  });

  it("asks reception to name the patient", async () => {
    const doctor = await seedDoctor(h);
    const { res } = await book({ slotId: (await slotAt(h, doctor.id, "2026-03-04T10:00")).id }, newStaff("RECEPTIONIST"));
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.patientId" });
  });
});

describe("per-patient limit: one live appointment with a doctor per local day", () => {
  it("refuses a second one the same day (CONFLICT), allows another doctor or another day, and again after a cancel", async () => {
    const doctor = await seedDoctor(h);
    const other = await seedDoctor(h);
    const patient = newPatient();
    const first = await request(h, patient, (await slotAt(h, doctor.id, "2026-03-04T09:00")).id);
    const second = await book({ slotId: (await slotAt(h, doctor.id, "2026-03-04T16:30")).id }, patient);
    expect(second.res.errors?.[0]?.extensions).toMatchObject({ code: "CONFLICT", field: "input.slotId" });
    expect((await book({ slotId: (await slotAt(h, other.id, "2026-03-04T16:30")).id }, patient)).result?.__typename).toBe("Appointment");
    expect((await book({ slotId: (await slotAt(h, doctor.id, "2026-03-05T09:00")).id }, patient)).result?.__typename).toBe("Appointment");

    await h.prisma.appointment.update({ where: { id: first.id }, data: { status: "CANCELLED" } });
    expect((await book({ slotId: (await slotAt(h, doctor.id, "2026-03-04T16:30")).id }, patient)).result?.__typename).toBe("Appointment");
    expect(await historyActions(h, first.id)).toEqual(["REQUEST"]);
  });

  it("counts days in the doctor's zone, not in UTC", async () => {
    const ny = await seedDoctor(h, {
      timezone: "America/New_York",
      rules: [{ dayOfWeek: "WEDNESDAY", startTime: "10:00", endTime: "22:00", slotMinutes: 60 }],
    });
    const patient = newPatient();
    const morning = await h.prisma.slot.findFirstOrThrow({ where: { doctorId: ny.id, startsAt: new Date("2026-03-04T15:00:00Z") } }); // 10:00 EST
    const evening = await h.prisma.slot.findFirstOrThrow({ where: { doctorId: ny.id, startsAt: new Date("2026-03-05T02:00:00Z") } }); // 21:00 EST, Thursday in UTC
    await request(h, patient, morning.id);
    expect(codeOf((await book({ slotId: evening.id }, patient)).res)).toBe("CONFLICT");

    const berlin = await seedDoctor(h, {
      rules: [
        { dayOfWeek: "WEDNESDAY", startTime: "23:00", endTime: "24:00", slotMinutes: 60 },
        { dayOfWeek: "THURSDAY", startTime: "00:00", endTime: "01:00", slotMinutes: 60 },
      ],
    });
    const beforeMidnight = await slotAt(h, berlin.id, "2026-03-04T23:00"); // 22:00Z Wednesday
    const afterMidnight = await slotAt(h, berlin.id, "2026-03-05T00:00"); // 23:00Z, still Wednesday in UTC
    await request(h, patient, beforeMidnight.id);
    expect((await book({ slotId: afterMidnight.id }, patient)).result?.__typename).toBe("Appointment");
  });
});

describe("availableSlots", () => {
  it("is public and lists free slots past the minimum notice, soonest first", async () => {
    const doctor = await seedDoctor(h);
    await request(h, newPatient(), (await slotAt(h, doctor.id, "2026-03-02T10:30")).id);
    const res = await h.call<{ availableSlots: SlotView[] }>(
      AVAILABLE,
      { filter: { doctorId: doctor.id, from: "2026-03-02T00:00:00Z", to: "2026-03-02T11:00:00Z" } },
      ANONYMOUS,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data?.availableSlots.map((s) => s.startsAt)).toEqual(["2026-03-02T09:00:00.000Z", "2026-03-02T10:00:00.000Z", "2026-03-02T10:30:00.000Z"]);
  });
});
