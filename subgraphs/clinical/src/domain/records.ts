/**
 * The patient card's record entries: pure rules, no I/O (use cases: patientCard.ts).
 *
 * An entry is one doctor's note of one encounter: complaints, diagnosis (ICD-10-like code + text),
 * prescriptions, notes. Its content lives in versions:
 * - version 1 is the DRAFT, the author's working copy during the visit. `saveRecordDraft(encounterId)` is
 *   "my note for this visit": the treating doctor has at most one entry per encounter; the first call creates
 *   it, later calls update the same DRAFT in place (a draft has no history of its own) while the encounter
 *   is open (ARRIVED or IN_PROGRESS: the patient is in the clinic);
 * - `signRecord` by its author makes that version SIGNED (signedAt): from then on it never changes (here,
 *   and in the database: a trigger refuses UPDATE/DELETE of signed versions). A signed note is not edited
 *   (CONFLICT): it is corrected by
 * - `amendRecord`: a new version, AMENDED and signed at creation, with a required reason, by the treating
 *   doctor or any doctor with a care relationship with the patient; any time after signing.
 * The entry shows its current (latest) version; `history` lists every version, oldest first.
 *
 * Inputs are patches: a field left out keeps the current value, a field given as null (or blank) clears it;
 * `prescriptions` replaces the whole list. A note must say something (not every field empty).
 */
import { badInput, conflict, forbidden } from "@clinigraph/platform";
import type { Actor, Encounter } from "./types.js";

export type RecordStatus = "DRAFT" | "SIGNED" | "AMENDED";

export interface RecordContent {
  complaints: string | null;
  diagnosisCode: string | null;
  diagnosis: string | null;
  prescriptions: string[];
  notes: string | null;
}

/** One version of an entry, clinical text opened (what `MedicalRecordEntry` shows). */
export interface RecordEntryView extends RecordContent {
  /** The entry's id (the same for every version). */
  id: string;
  patientId: string;
  encounterId: string | null;
  /** Who wrote the entry (version 1, the signer). */
  entryAuthorId: string;
  /** Who wrote this version (the amending doctor for AMENDED versions). */
  authorId: string;
  status: RecordStatus;
  version: number;
  amendReason: string | null;
  createdAt: Date;
  signedAt: Date | null;
}

export interface RecordInput {
  complaints?: string | null;
  diagnosisCode?: string | null;
  diagnosis?: string | null;
  prescriptions?: readonly string[] | null;
  notes?: string | null;
}

export const LIMITS = {
  complaints: 4_000,
  diagnosis: 2_000,
  notes: 20_000,
  prescription: 500,
  prescriptions: 50,
  amendReason: 2_000,
} as const;

/** ICD-10-like: a letter, two digits, optionally a dot and 1–4 digits or letters (J06.9, E11.65, S72.001A). */
export const DIAGNOSIS_CODE = /^[A-Z][0-9]{2}(\.[0-9A-Z]{1,4})?$/;

export const EMPTY_CONTENT: RecordContent = { complaints: null, diagnosisCode: null, diagnosis: null, prescriptions: [], notes: null };

/** Encounter statuses in which the treating doctor writes the visit's draft. */
export const DRAFTING_STATUSES: readonly Encounter["status"][] = ["ARRIVED", "IN_PROGRESS"];

function text(value: string | null, field: string, max: number): string | null {
  // eslint-disable-next-line no-control-regex -- clinical text is printable; keep newlines and tabs only
  if (value !== null && /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/.test(value)) throw badInput(`${field} contains control characters`, field);
  const trimmed = value?.trim() ?? "";
  if (!trimmed) return null;
  if (trimmed.length > max) throw badInput(`${field} must be at most ${max} characters`, field);
  return trimmed;
}

/** The fields the input sets, validated and normalised (trimmed; the diagnosis code upper-cased). */
export function validateRecordInput(input: RecordInput): Partial<RecordContent> {
  const patch: Partial<RecordContent> = {};
  if (input.complaints !== undefined) patch.complaints = text(input.complaints, "complaints", LIMITS.complaints);
  if (input.diagnosis !== undefined) patch.diagnosis = text(input.diagnosis, "diagnosis", LIMITS.diagnosis);
  if (input.notes !== undefined) patch.notes = text(input.notes, "notes", LIMITS.notes);
  if (input.diagnosisCode !== undefined) {
    const code = input.diagnosisCode?.trim().toUpperCase() ?? "";
    if (code && !DIAGNOSIS_CODE.test(code)) throw badInput("diagnosisCode must be an ICD-10 code such as J06.9", "diagnosisCode");
    patch.diagnosisCode = code || null;
  }
  if (input.prescriptions !== undefined) {
    const items = input.prescriptions ?? [];
    if (items.length > LIMITS.prescriptions) throw badInput(`At most ${LIMITS.prescriptions} prescriptions per entry`, "prescriptions");
    patch.prescriptions = items.map((item, i) => {
      const line = text(item, `prescriptions[${i}]`, LIMITS.prescription);
      if (line === null) throw badInput("A prescription must not be empty", "prescriptions");
      return line;
    });
  }
  return patch;
}

/** The reason of an amendment: required. */
export function validateAmendReason(reason: string | null | undefined): string {
  const value = text(reason ?? null, "reason", LIMITS.amendReason);
  if (value === null) throw badInput("An amendment needs a reason", "reason");
  return value;
}

/** `current` with `patch` applied; BAD_USER_INPUT when the result says nothing. */
export function applyPatch(current: RecordContent, patch: Partial<RecordContent>): RecordContent {
  const next: RecordContent = { ...current, ...patch, prescriptions: [...(patch.prescriptions ?? current.prescriptions)] };
  if (!next.complaints && !next.diagnosisCode && !next.diagnosis && next.prescriptions.length === 0 && !next.notes)
    throw badInput("A record entry needs some content: complaints, a diagnosis, prescriptions or notes");
  return next;
}

/** saveRecordDraft: the treating doctor, while the encounter is open; an existing entry must still be a DRAFT. */
export function assertCanDraft(actor: Actor, encounter: Pick<Encounter, "doctorUserId" | "status">, existing: Pick<RecordEntryView, "status"> | null): void {
  if (actor.role !== "DOCTOR" || actor.userId !== encounter.doctorUserId) throw forbidden("Only the treating doctor writes the record of a visit");
  if (existing && existing.status !== "DRAFT")
    throw conflict(`Your record of this visit is ${existing.status} and can no longer be edited; amend it (amendRecord) with a reason`, "RECORD_SIGNED");
  if (!DRAFTING_STATUSES.includes(encounter.status))
    throw conflict(`The encounter is ${encounter.status}; drafts are written during the visit (${DRAFTING_STATUSES.join(" or ")})`, "INVALID_STATE");
}

/** signRecord: the author signs their own DRAFT. */
export function assertCanSign(actor: Actor, current: Pick<RecordEntryView, "entryAuthorId" | "status">): void {
  if (actor.role !== "DOCTOR" || actor.userId !== current.entryAuthorId) throw forbidden("Only the author signs a record entry");
  if (current.status !== "DRAFT") throw conflict(`The entry is already ${current.status}; a signed entry cannot change`, "RECORD_SIGNED");
}

/**
 * amendRecord: a doctor who treats the patient (the encounter's doctor, or a care relationship); only a
 * signed entry is amended (a DRAFT is still edited, by its author, with saveRecordDraft).
 */
export function assertCanAmend(actor: Actor, current: Pick<RecordEntryView, "status">, access: { treating: boolean; hasCare: boolean }): void {
  if (actor.role !== "DOCTOR" || !(access.treating || access.hasCare)) throw forbidden("Only the patient's doctors amend their record");
  if (current.status === "DRAFT") throw conflict("The entry is a DRAFT: its author edits it (saveRecordDraft) or signs it", "INVALID_STATE");
}
