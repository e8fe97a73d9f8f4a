/** The encounter's state machine: who may do what, in which state (pure). */
import { describe, expect, it } from "@jest/globals";
import { allowedTransitions, assertCan, type EncounterAction } from "../src/domain/encounterMachine.js";
import type { Actor, Encounter, EncounterStatus } from "../src/domain/types.js";
import { admin, doctor, examiner, otherDoctor, patient, reception, thrownCode as codeOf } from "./support/actors.js";

const encounter = (status: EncounterStatus, confirmed = false): Encounter => ({
  id: "00000000-0000-4000-8000-0000000000e1",
  patientId: patient.userId,
  doctorId: "00000000-0000-4000-8000-0000000000d1",
  doctorUserId: doctor.userId,
  appointmentId: null,
  status,
  arrivedAt: new Date("2026-11-26T08:00:00Z"),
  startedAt: null,
  endedAt: null,
  summary: null,
  refusalReason: null,
  outcomeConfirmedAt: confirmed ? new Date("2026-11-26T10:00:00Z") : null,
  version: 0,
});

describe("encounter state machine", () => {
  it.each<[EncounterStatus, Actor, EncounterAction[]]>([
    ["ARRIVED", doctor, ["START", "REFUSE"]],
    ["IN_PROGRESS", doctor, ["ORDER_EXAMINATION", "FINISH", "REFUSE"]],
    ["FINISHED", doctor, []],
    ["REFUSED", doctor, []],
    ["ARRIVED", otherDoctor, []],
    ["IN_PROGRESS", reception, []],
    ["FINISHED", reception, ["CONFIRM_OUTCOME"]],
    ["REFUSED", admin, ["CONFIRM_OUTCOME"]],
    ["FINISHED", patient, []],
    ["IN_PROGRESS", examiner, []],
  ])("%s as %o allows %o", (status, actor, expected) => {
    expect(allowedTransitions(actor, encounter(status), 0)).toEqual(expected);
  });

  it("does not finish while examinations are ORDERED (refusing is still possible)", () => {
    expect(allowedTransitions(doctor, encounter("IN_PROGRESS"), 2)).toEqual(["ORDER_EXAMINATION", "REFUSE"]);
    expect(codeOf(() => assertCan(doctor, encounter("IN_PROGRESS"), "FINISH", 2))).toBe("CONFLICT");
    expect(codeOf(() => assertCan(doctor, encounter("IN_PROGRESS"), "FINISH", 0))).toBe("OK");
  });

  it("answers FORBIDDEN to the wrong person and CONFLICT in the wrong state", () => {
    expect(codeOf(() => assertCan(otherDoctor, encounter("ARRIVED"), "START", 0))).toBe("FORBIDDEN");
    expect(codeOf(() => assertCan(reception, encounter("ARRIVED"), "START", 0))).toBe("FORBIDDEN");
    expect(codeOf(() => assertCan(doctor, encounter("FINISHED"), "START", 0))).toBe("CONFLICT");
    expect(codeOf(() => assertCan(doctor, encounter("FINISHED"), "CONFIRM_OUTCOME", 0))).toBe("FORBIDDEN");
  });

  it("confirms an outcome once", () => {
    expect(codeOf(() => assertCan(reception, encounter("FINISHED", true), "CONFIRM_OUTCOME", 0))).toBe("CONFLICT");
    expect(allowedTransitions(reception, encounter("REFUSED", true), 0)).toEqual([]);
  });
});
