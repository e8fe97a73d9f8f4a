/**
 * What scheduling tells accounts about care relationships (ADR 0011): `myCareRelationships` answers a
 * doctor which of the given patients have an appointment with them (any status), nobody else; every
 * appointment event carries the doctor's user id.
 */
import { describe, expect, it } from "@jest/globals";
import { randomUUID } from "node:crypto";
import { appointmentIn, newPatient, newStaff, seedDoctor } from "./support/factories.js";
import { codeOf, useHarness } from "./support/harness.js";

const h = useHarness();

const CARE = `query($p: [ID!]!) { myCareRelationships(patientIds: $p) }`;

describe("myCareRelationships", () => {
  it("names the patients with an appointment with the calling doctor, in any status, and no others", async () => {
    const doctor = await seedDoctor(h);
    const pending = await appointmentIn(h, "PENDING", { doctor });
    const rejected = await appointmentIn(h, "REJECTED", { doctor, local: "2026-03-05T10:00" });
    const elsewhere = await appointmentIn(h, "BOOKED");
    const stranger = newPatient();
    const res = await h.call<{ myCareRelationships: string[] }>(
      CARE,
      { p: [pending.patient.userId, rejected.patient.userId, elsewhere.patient.userId, stranger.userId, pending.patient.userId] },
      doctor.caller,
    );
    expect(res.errors).toBeUndefined();
    expect(new Set(res.data!.myCareRelationships)).toEqual(new Set([pending.patient.userId, rejected.patient.userId]));
    expect(res.data!.myCareRelationships).toHaveLength(2);
    const theirs = await h.call<{ myCareRelationships: string[] }>(CARE, { p: [elsewhere.patient.userId, pending.patient.userId] }, elsewhere.doctor.caller);
    expect(theirs.data!.myCareRelationships).toEqual([elsewhere.patient.userId]);
  });

  it("is for doctors only, with valid ids, at most 500 per call", async () => {
    const made = await appointmentIn(h, "BOOKED");
    expect(codeOf(await h.call(CARE, { p: [made.patient.userId] }, made.patient))).toBe("FORBIDDEN");
    expect(codeOf(await h.call(CARE, { p: [made.patient.userId] }, newStaff("RECEPTIONIST")))).toBe("FORBIDDEN");
    expect(codeOf(await h.call(CARE, { p: [made.patient.userId] }, { userId: null, role: null }))).toBe("UNAUTHENTICATED");
    expect(codeOf(await h.call(CARE, { p: ["nope"] }, made.doctor.caller))).toBe("BAD_USER_INPUT");
    const many = Array.from({ length: 501 }, () => randomUUID());
    expect(codeOf(await h.call(CARE, { p: many }, made.doctor.caller))).toBe("BAD_USER_INPUT");
    expect((await h.call<{ myCareRelationships: string[] }>(CARE, { p: [] }, made.doctor.caller)).data?.myCareRelationships).toEqual([]);
  });
});

describe("appointment events", () => {
  it("carry the doctor's user id from scheduling's doctor snapshot", async () => {
    const made = await appointmentIn(h, "BOOKED");
    const events = await h.prisma.outboxEvent.findMany({ where: { aggregateId: made.appointment.id }, orderBy: { sequence: "asc" } });
    expect(events.map((e) => e.type)).toEqual(["AppointmentRequested", "AppointmentBooked"]);
    for (const event of events) {
      expect(event.payload).toMatchObject({ appointmentId: made.appointment.id, doctorId: made.doctor.id, doctorUserId: made.doctor.snapshot.userId });
    }
  });
});
