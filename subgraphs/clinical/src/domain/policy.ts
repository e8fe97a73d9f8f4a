/**
 * Who may read what in clinical. Used by every resolver and by __resolveReference.
 * - a patient: their own encounters and examinations, and the signed entries of their own card;
 * - a doctor: the encounters they treat, and everything clinical of patients they have a care
 *   relationship with (an appointment or an encounter);
 * - reception and admins: encounters as schedule and outcome (who, when, status) — never clinical text;
 * - examiners: examinations and the encounter they belong to (to perform them), no clinical notes.
 */
import { forbidden } from "@clinigraph/platform";
import type { Actor, Encounter } from "./types.js";

/** `hasCare`: the caller is a doctor with a care relationship with the encounter's patient. */
export function canReadEncounter(actor: Actor, encounter: Pick<Encounter, "patientId" | "doctorUserId">, hasCare: boolean): boolean {
  switch (actor.role) {
    case "PATIENT":
      return encounter.patientId === actor.userId;
    case "DOCTOR":
      return encounter.doctorUserId === actor.userId || hasCare;
    case "RECEPTIONIST":
    case "ADMIN":
    case "EXAMINER":
      return true;
    default:
      return false;
  }
}

export function assertCanReadEncounter(actor: Actor, encounter: Pick<Encounter, "patientId" | "doctorUserId">, hasCare: boolean): void {
  if (!canReadEncounter(actor, encounter, hasCare)) throw forbidden("You may not see this encounter");
}

/** Clinical text of an encounter (summary, refusal reason, results, notes): the patient and treating/caring doctors only. */
export function canReadClinicalText(actor: Actor, encounter: Pick<Encounter, "patientId" | "doctorUserId">, hasCare: boolean): boolean {
  if (actor.role === "PATIENT") return encounter.patientId === actor.userId;
  if (actor.role === "DOCTOR") return encounter.doctorUserId === actor.userId || hasCare;
  return false;
}

/**
 * The patient card: the patient reads their own, a DOCTOR reads it with a care relationship (the
 * treating doctor has one from the encounter). Reception, billing, examiners, stakeholders and admins never
 * read clinical content.
 */
export function canReadPatientCard(actor: Actor, patientId: string, hasCare: boolean): boolean {
  if (actor.role === "PATIENT") return actor.userId === patientId;
  return actor.role === "DOCTOR" && hasCare;
}

export function assertCanReadPatientCard(actor: Actor, patientId: string, hasCare: boolean): void {
  if (!canReadPatientCard(actor, patientId, hasCare)) throw forbidden("The patient card is for the patient and their doctors");
}

/** The record entries of an encounter: as its clinical text (the patient, the treating doctor, doctors with a care relationship). */
export function assertCanReadRecords(actor: Actor, encounter: Pick<Encounter, "patientId" | "doctorUserId">, hasCare: boolean): void {
  if (!canReadClinicalText(actor, encounter, hasCare)) throw forbidden("Medical records are for the patient and their doctors");
}

/** Among entries the caller may read: a patient sees signed ones only (SIGNED, AMENDED), never drafts. */
export const canSeeRecordStatus = (actor: Actor, status: "DRAFT" | "SIGNED" | "AMENDED"): boolean => actor.role !== "PATIENT" || status !== "DRAFT";

/* What a read of someone else's record is audited as (the ReadAudit port). */
/** The patient card (`patientCard`). */
export const PATIENT_CARD_READ = "PATIENT_CARD_READ";
/** Record entries or clinical text of an encounter (`Encounter.records`, summaries, results). */
export const CLINICAL_RECORD_READ = "CLINICAL_RECORD_READ";
/** An encounter as schedule and outcome (status, doctor, times): `encounter`, `encounters`, an Encounter reference, the clinic board, a doctor's encounter feed. */
export const ENCOUNTER_READ = "ENCOUNTER_READ";
/** Which examinations were ordered and where they stand: an Examination, `Encounter.examinations`, the examiners' worklist. */
export const EXAMINATION_READ = "EXAMINATION_READ";
