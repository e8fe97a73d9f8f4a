/** The patient card's rules (pure): input validation, patches, who drafts, signs and amends, who reads. */
import { describe, expect, it } from "@jest/globals";
import { assertCanReadPatientCard, assertCanReadRecords, canSeeRecordStatus } from "../src/domain/policy.js";
import {
  applyPatch,
  assertCanAmend,
  assertCanDraft,
  assertCanSign,
  EMPTY_CONTENT,
  LIMITS,
  validateAmendReason,
  validateRecordInput,
  type RecordStatus,
} from "../src/domain/records.js";
import type { Actor, EncounterStatus } from "../src/domain/types.js";
import { doctor, otherDoctor, otherPatient, patient, thrownCode as codeOf } from "./support/actors.js";

const staff = (["RECEPTIONIST", "BILLING", "EXAMINER", "STAKEHOLDER", "ADMIN"] as const).map((role, i): Actor => ({
  userId: `00000000-0000-4000-8000-00000000a00${i}`,
  role,
}));

describe("record input", () => {
  it("trims text, upper-cases the diagnosis code and keeps only the fields given", () => {
    expect(validateRecordInput({ complaints: "  Cough  ", diagnosisCode: " j06.9 ", prescriptions: [" Rest ", "Fluids"] })).toEqual({
      complaints: "Cough",
      diagnosisCode: "J06.9",
      prescriptions: ["Rest", "Fluids"],
    });
    expect(validateRecordInput({})).toEqual({});
  });

  it("clears a field given as null or blank", () => {
    expect(validateRecordInput({ notes: null, diagnosis: "   ", diagnosisCode: "", prescriptions: null })).toEqual({
      notes: null,
      diagnosis: null,
      diagnosisCode: null,
      prescriptions: [],
    });
  });

  it.each(["J06.9", "E11.65", "S72.001A", "A00", "Z99.89"])("accepts the ICD-10 code %s", (code) => {
    expect(validateRecordInput({ diagnosisCode: code }).diagnosisCode).toBe(code);
  });

  it.each(["J6.9", "06.9", "J06.", "J06.12345", "J06-9", "JJ06", "J06.9; DROP TABLE", "<J06>"])("refuses the diagnosis code %s", (code) => {
    expect(codeOf(() => validateRecordInput({ diagnosisCode: code }))).toBe("BAD_USER_INPUT");
  });

  it("limits text lengths and the number of prescriptions", () => {
    expect(codeOf(() => validateRecordInput({ complaints: "x".repeat(LIMITS.complaints) }))).toBe("OK");
    expect(codeOf(() => validateRecordInput({ complaints: "x".repeat(LIMITS.complaints + 1) }))).toBe("BAD_USER_INPUT");
    expect(codeOf(() => validateRecordInput({ diagnosis: "x".repeat(LIMITS.diagnosis + 1) }))).toBe("BAD_USER_INPUT");
    expect(codeOf(() => validateRecordInput({ notes: "x".repeat(LIMITS.notes + 1) }))).toBe("BAD_USER_INPUT");
    expect(codeOf(() => validateRecordInput({ prescriptions: Array.from({ length: 50 }, (_, i) => `Drug ${i}`) }))).toBe("OK");
    expect(codeOf(() => validateRecordInput({ prescriptions: Array.from({ length: 51 }, (_, i) => `Drug ${i}`) }))).toBe("BAD_USER_INPUT");
    expect(codeOf(() => validateRecordInput({ prescriptions: ["x".repeat(LIMITS.prescription + 1)] }))).toBe("BAD_USER_INPUT");
    expect(codeOf(() => validateRecordInput({ prescriptions: ["Rest", "  "] }))).toBe("BAD_USER_INPUT");
  });

  it("refuses control characters but keeps line breaks", () => {
    expect(codeOf(() => validateRecordInput({ notes: "line\u0000two" }))).toBe("BAD_USER_INPUT");
    expect(validateRecordInput({ notes: "line one\nline two\tend" }).notes).toBe("line one\nline two\tend");
  });

  it("requires an amendment reason", () => {
    expect(codeOf(() => validateAmendReason(""))).toBe("BAD_USER_INPUT");
    expect(codeOf(() => validateAmendReason("   "))).toBe("BAD_USER_INPUT");
    expect(codeOf(() => validateAmendReason(null))).toBe("BAD_USER_INPUT");
    expect(codeOf(() => validateAmendReason("x".repeat(LIMITS.amendReason + 1)))).toBe("BAD_USER_INPUT");
    expect(validateAmendReason(" Wrong laterality ")).toBe("Wrong laterality");
  });
});

describe("patches", () => {
  const current = { ...EMPTY_CONTENT, complaints: "Cough", diagnosisCode: "J06.9", prescriptions: ["Rest"] };

  it("keeps what the patch leaves out and replaces the prescriptions as a whole", () => {
    expect(applyPatch(current, { diagnosisCode: "J20.9", prescriptions: ["Fluids"] })).toEqual({
      ...current,
      diagnosisCode: "J20.9",
      prescriptions: ["Fluids"],
    });
    expect(applyPatch(current, {})).toEqual(current);
  });

  it("refuses an entry without any content", () => {
    expect(codeOf(() => applyPatch(EMPTY_CONTENT, {}))).toBe("BAD_USER_INPUT");
    expect(codeOf(() => applyPatch(current, { complaints: null, diagnosisCode: null, prescriptions: [] }))).toBe("BAD_USER_INPUT");
  });
});

describe("drafting, signing, amending", () => {
  const encounter = (status: EncounterStatus) => ({ doctorUserId: doctor.userId, status });

  it.each<[EncounterStatus, string]>([
    ["ARRIVED", "OK"],
    ["IN_PROGRESS", "OK"],
    ["FINISHED", "CONFLICT"],
    ["REFUSED", "CONFLICT"],
  ])("the treating doctor drafts while the encounter is open (%s → %s)", (status, code) => {
    expect(codeOf(() => assertCanDraft(doctor, encounter(status), null))).toBe(code);
    expect(codeOf(() => assertCanDraft(doctor, encounter(status), { status: "DRAFT" }))).toBe(code);
  });

  it("nobody else drafts the visit's record", () => {
    for (const actor of [otherDoctor, patient, ...staff]) expect(codeOf(() => assertCanDraft(actor, encounter("IN_PROGRESS"), null))).toBe("FORBIDDEN");
  });

  it.each<RecordStatus>(["SIGNED", "AMENDED"])("a %s entry is not edited as a draft (CONFLICT)", (status) => {
    expect(codeOf(() => assertCanDraft(doctor, encounter("IN_PROGRESS"), { status }))).toBe("CONFLICT");
  });

  it("only the author signs, and only a DRAFT", () => {
    expect(codeOf(() => assertCanSign(doctor, { entryAuthorId: doctor.userId, status: "DRAFT" }))).toBe("OK");
    expect(codeOf(() => assertCanSign(doctor, { entryAuthorId: doctor.userId, status: "SIGNED" }))).toBe("CONFLICT");
    expect(codeOf(() => assertCanSign(doctor, { entryAuthorId: doctor.userId, status: "AMENDED" }))).toBe("CONFLICT");
    for (const actor of [otherDoctor, patient, ...staff])
      expect(codeOf(() => assertCanSign(actor, { entryAuthorId: doctor.userId, status: "DRAFT" }))).toBe("FORBIDDEN");
    // A patient whose user id happens to be the author's (it cannot be) is still no doctor.
    expect(codeOf(() => assertCanSign({ ...patient, userId: doctor.userId }, { entryAuthorId: doctor.userId, status: "DRAFT" }))).toBe("FORBIDDEN");
  });

  it("the treating doctor or a doctor with a care relationship amends a signed entry", () => {
    expect(codeOf(() => assertCanAmend(doctor, { status: "SIGNED" }, { treating: true, hasCare: false }))).toBe("OK");
    expect(codeOf(() => assertCanAmend(otherDoctor, { status: "AMENDED" }, { treating: false, hasCare: true }))).toBe("OK");
    expect(codeOf(() => assertCanAmend(otherDoctor, { status: "SIGNED" }, { treating: false, hasCare: false }))).toBe("FORBIDDEN");
    expect(codeOf(() => assertCanAmend(doctor, { status: "DRAFT" }, { treating: true, hasCare: true }))).toBe("CONFLICT");
    for (const actor of [patient, ...staff])
      expect(codeOf(() => assertCanAmend(actor, { status: "SIGNED" }, { treating: true, hasCare: true }))).toBe("FORBIDDEN");
  });
});

describe("who reads the card", () => {
  const ofPatient = { patientId: patient.userId, doctorUserId: doctor.userId };

  it("the patient their own, a doctor with a care relationship; nobody else", () => {
    expect(codeOf(() => assertCanReadPatientCard(patient, patient.userId, false))).toBe("OK");
    expect(codeOf(() => assertCanReadPatientCard(otherPatient, patient.userId, false))).toBe("FORBIDDEN");
    expect(codeOf(() => assertCanReadPatientCard(doctor, patient.userId, true))).toBe("OK");
    expect(codeOf(() => assertCanReadPatientCard(otherDoctor, patient.userId, false))).toBe("FORBIDDEN");
    for (const actor of staff) expect(codeOf(() => assertCanReadPatientCard(actor, patient.userId, true))).toBe("FORBIDDEN");
  });

  it("an encounter's records: the patient, the treating doctor, caring doctors", () => {
    expect(codeOf(() => assertCanReadRecords(patient, ofPatient, false))).toBe("OK");
    expect(codeOf(() => assertCanReadRecords(doctor, ofPatient, false))).toBe("OK");
    expect(codeOf(() => assertCanReadRecords(otherDoctor, ofPatient, true))).toBe("OK");
    expect(codeOf(() => assertCanReadRecords(otherDoctor, ofPatient, false))).toBe("FORBIDDEN");
    expect(codeOf(() => assertCanReadRecords(otherPatient, ofPatient, false))).toBe("FORBIDDEN");
    for (const actor of staff) expect(codeOf(() => assertCanReadRecords(actor, ofPatient, true))).toBe("FORBIDDEN");
  });

  it("patients never see drafts; doctors do", () => {
    expect(canSeeRecordStatus(patient, "DRAFT")).toBe(false);
    expect(canSeeRecordStatus(patient, "SIGNED")).toBe(true);
    expect(canSeeRecordStatus(patient, "AMENDED")).toBe(true);
    expect(canSeeRecordStatus(doctor, "DRAFT")).toBe(true);
  });
});
