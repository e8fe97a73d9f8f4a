/**
 * Who may read what in clinical (issue 5's rules). Used by every resolver and by __resolveReference.
 * - a patient: their own encounters and examinations, and the signed entries of their own card;
 * - a doctor: the encounters they treat, and everything clinical of patients they have a care
 *   relationship with (an appointment or an encounter);
 * - reception and admins: encounters as schedule and outcome (who, when, status) — never clinical text;
 * - examiners: examinations and the encounter they belong to (to perform them), no clinical notes.
 */
import { forbidden, unauthenticated, type Identity } from "@clinigraph/platform";
import type { Actor, Encounter } from "./types.js";

export function requireActor(identity: Identity): Actor {
  if (!identity.userId || !identity.role) throw unauthenticated();
  return { userId: identity.userId, role: identity.role };
}

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
 * The patient card (issue 6): the patient reads their own, a DOCTOR reads it with a care relationship (the
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
