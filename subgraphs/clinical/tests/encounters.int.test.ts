/**
 * Encounters on a real database: one per checked-in appointment however often the check-in arrives;
 * walk-ins only for patients and doctors that exist; the treating doctor's transitions and their events.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { randomUUID } from "node:crypto";
import { encounterFromCheckIn } from "../src/domain/encounters.js";
import { codeOf, person, startHarness, type Harness } from "./support/harness.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

const WALK_IN = `mutation($p: ID!, $d: ID!) { registerWalkIn(patientId: $p, doctorId: $d) { id status patient { id } } }`;

describe("encounters", () => {
  it("creates one encounter per checked-in appointment, with one EncounterRegistered event, whatever the redeliveries", async () => {
    const checkIn = { appointmentId: randomUUID(), patientId: randomUUID(), doctorId: randomUUID(), doctorUserId: randomUUID(), at: h.clock.now() };
    const results = await Promise.all([encounterFromCheckIn(h.deps, checkIn), encounterFromCheckIn(h.deps, checkIn), encounterFromCheckIn(h.deps, checkIn)]);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.encounter.id)).size).toBe(1);
    expect(await h.prisma.encounter.count({ where: { appointmentId: checkIn.appointmentId } })).toBe(1);
    const events = await h.prisma.outboxEvent.findMany({ where: { aggregateId: results[0]!.encounter.id } });
    expect(events.map((e) => e.type)).toEqual(["EncounterRegistered"]);
    expect(await h.prisma.careRelationship.count({ where: { doctorUserId: checkIn.doctorUserId, patientId: checkIn.patientId } })).toBe(1);
  });

  it("registers a walk-in only for a patient accounts knows and a doctor the directory knows", async () => {
    const reception = person("RECEPTIONIST");
    const doctor = { ...person("DOCTOR"), doctorId: randomUUID() };
    h.doctors.doctors.set(doctor.doctorId, { id: doctor.doctorId, userId: doctor.userId });
    const patient = person("PATIENT");
    const ok = await h.call<{ registerWalkIn: { status: string; patient: { id: string } } }>(
      WALK_IN,
      { p: patient.userId, d: doctor.doctorId },
      reception.caller,
    );
    expect(ok.data?.registerWalkIn).toMatchObject({ status: "ARRIVED", patient: { id: patient.userId } });

    const nobody = randomUUID();
    h.patients.missing.add(nobody);
    expect(codeOf(await h.call(WALK_IN, { p: nobody, d: doctor.doctorId }, reception.caller))).toBe("NOT_FOUND");
    expect(codeOf(await h.call(WALK_IN, { p: patient.userId, d: randomUUID() }, reception.caller))).toBe("NOT_FOUND");
    h.patients.down = true;
    try {
      expect(codeOf(await h.call(WALK_IN, { p: patient.userId, d: doctor.doctorId }, reception.caller))).toBe("SERVICE_UNAVAILABLE");
    } finally {
      h.patients.down = false;
    }
    expect(await h.prisma.encounter.count({ where: { patientId: nobody } })).toBe(0);
  });
});
