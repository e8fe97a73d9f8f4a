/** Who may see which appointments and calendars (domain/policy.ts), without a database. */
import { describe, expect, it } from "@jest/globals";
import { randomUUID } from "node:crypto";
import { DomainError, ROLES, type Role } from "@clinigraph/platform";
import { assertCanRead, calendarScope, canRead } from "../src/domain/policy.js";
import type { Actor } from "../src/domain/types.js";

const appointment = { patientId: randomUUID(), doctorId: randomUUID() };
const actor = (role: Role, overrides: Partial<Actor> = {}): Actor => ({ userId: randomUUID(), role, doctorId: null, ...overrides });
const codeOf = (fn: () => unknown) => {
  try {
    fn();
    return "OK";
  } catch (err) {
    return err instanceof DomainError ? err.code : "THROWN";
  }
};

describe("canRead / assertCanRead", () => {
  it.each([
    ["the patient", actor("PATIENT", { userId: appointment.patientId }), true],
    ["another patient", actor("PATIENT"), false],
    ["the doctor", actor("DOCTOR", { doctorId: appointment.doctorId }), true],
    ["another doctor", actor("DOCTOR", { doctorId: randomUUID() }), false],
    ["a doctor without a profile here", actor("DOCTOR"), false],
    ["a doctor whose user id is the patient's", actor("DOCTOR", { userId: appointment.patientId }), false],
    ["a staff member whose user id is the patient's", actor("EXAMINER", { userId: appointment.patientId }), false],
    ["reception", actor("RECEPTIONIST"), true],
    ["an admin", actor("ADMIN"), true],
    ["an examiner", actor("EXAMINER"), false],
    ["billing", actor("BILLING"), false],
    ["a stakeholder", actor("STAKEHOLDER"), false],
  ])("%s → %s", (_who, who, allowed) => {
    expect(canRead(who, appointment)).toBe(allowed);
    expect(codeOf(() => assertCanRead(who, appointment))).toBe(allowed ? "OK" : "FORBIDDEN");
  });

  it("has a decision for every role", () => {
    for (const role of ROLES) expect(typeof canRead(actor(role), appointment)).toBe("boolean");
  });
});

describe("calendarScope", () => {
  const doctorId = randomUUID();
  it("gives reception and admins any doctor, or all", () => {
    for (const role of ["RECEPTIONIST", "ADMIN"] as const) {
      expect(calendarScope(actor(role), doctorId)).toBe(doctorId);
      expect(calendarScope(actor(role), null)).toBeNull();
    }
  });

  it("gives a doctor their own calendar, also when they name no doctor", () => {
    const doctor = actor("DOCTOR", { doctorId });
    expect(calendarScope(doctor, doctorId)).toBe(doctorId);
    expect(calendarScope(doctor, null)).toBe(doctorId);
  });

  it.each([
    ["a doctor asking for another doctor", actor("DOCTOR", { doctorId }), randomUUID()],
    ["a doctor without a profile here", actor("DOCTOR"), null],
    ["a patient", actor("PATIENT"), doctorId],
    ["an examiner", actor("EXAMINER"), null],
    ["billing", actor("BILLING"), doctorId],
  ])("refuses %s (FORBIDDEN)", (_who, who, asked) => {
    expect(codeOf(() => calendarScope(who, asked))).toBe("FORBIDDEN");
  });
});
