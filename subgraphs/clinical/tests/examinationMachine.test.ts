/** The examination order's state machine: who may do what, in which state (pure), and what may be ordered. */
import { describe, expect, it } from "@jest/globals";
import { allowedTransitions, assertCan, isOrderableKind, type ExaminationAction } from "../src/domain/examinationMachine.js";
import type { Actor, Examination, ExaminationStatus } from "../src/domain/types.js";
import { admin, doctor, examiner, otherDoctor, patient, reception, thrownCode as codeOf } from "./support/actors.js";

const examination = (status: ExaminationStatus): Examination => ({
  id: "00000000-0000-4000-8000-0000000000f1",
  encounterId: "00000000-0000-4000-8000-0000000000e1",
  patientId: patient.userId,
  serviceId: "d0c5e700-0000-4000-8000-000000000007",
  status,
  orderedAt: new Date("2026-11-26T09:00:00Z"),
  orderedBy: doctor.userId,
  performedAt: null,
  performedBy: null,
  result: null,
  cancelledAt: null,
  cancelledBy: null,
  cancelReason: null,
  reviewedAt: null,
  version: 0,
});

describe("examination state machine", () => {
  it.each<[ExaminationStatus, Actor, ExaminationAction[]]>([
    ["ORDERED", examiner, ["PERFORM", "CANCEL"]],
    ["ORDERED", doctor, ["CANCEL"]],
    ["ORDERED", otherDoctor, []],
    ["ORDERED", reception, []],
    ["ORDERED", admin, []],
    ["ORDERED", patient, []],
    ["PERFORMED", doctor, ["REVIEW"]],
    ["PERFORMED", examiner, []],
    ["PERFORMED", otherDoctor, []],
    ["CANCELLED", doctor, []],
    ["CANCELLED", examiner, []],
    ["REVIEWED", doctor, []],
    ["REVIEWED", examiner, []],
  ])("%s, for a %s: %j", (status, actor, expected) => {
    expect(allowedTransitions(actor, examination(status))).toEqual(expected);
  });

  it("answers nothing for an anonymous caller", () => {
    expect(allowedTransitions(null, examination("ORDERED"))).toEqual([]);
  });

  it("refuses the wrong person with FORBIDDEN before looking at the state", () => {
    expect(codeOf(() => assertCan(doctor, examination("ORDERED"), "PERFORM"))).toBe("FORBIDDEN");
    expect(codeOf(() => assertCan(otherDoctor, examination("ORDERED"), "CANCEL"))).toBe("FORBIDDEN");
    expect(codeOf(() => assertCan(examiner, examination("PERFORMED"), "REVIEW"))).toBe("FORBIDDEN");
    expect(codeOf(() => assertCan(reception, examination("REVIEWED"), "CANCEL"))).toBe("FORBIDDEN");
  });

  it("refuses the right person in the wrong state with CONFLICT", () => {
    expect(codeOf(() => assertCan(examiner, examination("PERFORMED"), "PERFORM"))).toBe("CONFLICT");
    expect(codeOf(() => assertCan(examiner, examination("CANCELLED"), "CANCEL"))).toBe("CONFLICT");
    expect(codeOf(() => assertCan(doctor, examination("ORDERED"), "REVIEW"))).toBe("CONFLICT");
    expect(codeOf(() => assertCan(doctor, examination("REVIEWED"), "REVIEW"))).toBe("CONFLICT");
    expect(codeOf(() => assertCan(doctor, examination("PERFORMED"), "CANCEL"))).toBe("CONFLICT");
  });

  it("allows exactly what allowedTransitions lists", () => {
    const statuses: ExaminationStatus[] = ["ORDERED", "PERFORMED", "CANCELLED", "REVIEWED"];
    for (const status of statuses)
      for (const actor of [doctor, otherDoctor, examiner, reception, admin, patient])
        for (const action of ["PERFORM", "CANCEL", "REVIEW"] as ExaminationAction[])
          expect([status, actor.role, action, codeOf(() => assertCan(actor, examination(status), action)) === "OK"]).toEqual([
            status,
            actor.role,
            action,
            allowedTransitions(actor, examination(status)).includes(action),
          ]);
  });
});

describe("orderable services", () => {
  it.each([
    ["LAB_TEST", true],
    ["IMAGING", true],
    ["PROCEDURE", false],
    ["CONSULTATION", false],
    ["CHECKUP", false],
    ["OPERATION", false],
    ["lab_test", false],
  ])("%s: %s", (kind, orderable) => {
    expect(isOrderableKind(kind)).toBe(orderable);
  });
});
