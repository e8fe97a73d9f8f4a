/**
 * Rows of clinical's tables as node-postgres returns them (snake_case columns; timestamptz → Date, enums → their
 * labels; a `date` is selected as its YYYY-MM-DD text, never as a Date in the process's zone) and their domain types.
 * Each repository selects the column lists below, so a row type and its statement cannot drift apart unnoticed: the
 * integration tests read every mapped field back. Clinical text is sealed at rest (`*_enc`): opened here, sealed by
 * the repositories.
 */
import { unsealOptional as open, type FieldCipher } from "@clinigraph/platform";
import type { BoardEntry, BoardState } from "../domain/board.js";
import type { RecordEntryView, RecordStatus } from "../domain/records.js";
import type { Encounter, EncounterStatus, Examination, ExaminationStatus } from "../domain/types.js";

export { sealOptional as seal, unsealOptional as open } from "@clinigraph/platform";

export const ENCOUNTER_COLUMNS =
  "id, patient_id, doctor_id, doctor_user_id, appointment_id, status, arrived_at, started_at, ended_at, summary_enc, refusal_reason_enc, outcome_confirmed_at, version";

export interface EncounterRow {
  id: string;
  patient_id: string;
  doctor_id: string;
  doctor_user_id: string;
  appointment_id: string | null;
  status: EncounterStatus;
  arrived_at: Date;
  started_at: Date | null;
  ended_at: Date | null;
  summary_enc: string | null;
  refusal_reason_enc: string | null;
  outcome_confirmed_at: Date | null;
  version: number;
}

export const toEncounter = (cipher: FieldCipher, r: EncounterRow): Encounter => ({
  id: r.id,
  patientId: r.patient_id,
  doctorId: r.doctor_id,
  doctorUserId: r.doctor_user_id,
  appointmentId: r.appointment_id,
  status: r.status,
  arrivedAt: r.arrived_at,
  startedAt: r.started_at,
  endedAt: r.ended_at,
  summary: open(cipher, r.summary_enc),
  refusalReason: open(cipher, r.refusal_reason_enc),
  outcomeConfirmedAt: r.outcome_confirmed_at,
  version: r.version,
});

export const EXAMINATION_COLUMNS =
  "id, encounter_id, patient_id, service_id, status, ordered_at, ordered_by, performed_at, performed_by, result_enc, cancelled_at, cancelled_by, cancel_reason_enc, reviewed_at, version";

export interface ExaminationRow {
  id: string;
  encounter_id: string;
  patient_id: string;
  service_id: string;
  status: ExaminationStatus;
  ordered_at: Date;
  ordered_by: string;
  performed_at: Date | null;
  performed_by: string | null;
  result_enc: string | null;
  cancelled_at: Date | null;
  cancelled_by: string | null;
  cancel_reason_enc: string | null;
  reviewed_at: Date | null;
  version: number;
}

export const toExamination = (cipher: FieldCipher, r: ExaminationRow): Examination => ({
  id: r.id,
  encounterId: r.encounter_id,
  patientId: r.patient_id,
  serviceId: r.service_id,
  status: r.status,
  orderedAt: r.ordered_at,
  orderedBy: r.ordered_by,
  performedAt: r.performed_at,
  performedBy: r.performed_by,
  result: open(cipher, r.result_enc),
  cancelledAt: r.cancelled_at,
  cancelledBy: r.cancelled_by,
  cancelReason: open(cipher, r.cancel_reason_enc),
  reviewedAt: r.reviewed_at,
  version: r.version,
});

/**
 * A record entry with every version, in one row: the entry's columns and its versions as a JSON array (oldest
 * first). JSON carries timestamps as text, so the versions' times are turned back into Dates by `toRecordViews`.
 */
export const RECORD_ENTRY_SELECT = `
  SELECT e.id, e.patient_id, e.encounter_id, e.author_id, e.current_version,
    (SELECT json_agg(json_build_object(
        'version', v.version, 'status', v.status, 'complaints_enc', v.complaints_enc, 'diagnosis_code', v.diagnosis_code,
        'diagnosis_enc', v.diagnosis_enc, 'prescriptions_enc', v.prescriptions_enc, 'notes_enc', v.notes_enc,
        'amend_reason_enc', v.amend_reason_enc, 'author_id', v.author_id, 'created_at', v.created_at, 'signed_at', v.signed_at)
      ORDER BY v.version)
     FROM clinical.record_versions v WHERE v.entry_id = e.id) AS versions
  FROM clinical.record_entries e`;

export interface RecordVersionJson {
  version: number;
  status: RecordStatus;
  complaints_enc: string | null;
  diagnosis_code: string | null;
  diagnosis_enc: string | null;
  prescriptions_enc: string | null;
  notes_enc: string | null;
  amend_reason_enc: string | null;
  author_id: string;
  /** timestamptz as JSON text (with its offset). */
  created_at: string;
  signed_at: string | null;
}

export interface RecordEntryRow {
  id: string;
  patient_id: string;
  encounter_id: string | null;
  author_id: string;
  current_version: number;
  /** null only for an entry without versions (never written: an entry is created with its version 1). */
  versions: RecordVersionJson[] | null;
}

function openPrescriptions(cipher: FieldCipher, sealed: string | null): string[] {
  const json = open(cipher, sealed);
  if (json === null) return [];
  const parsed: unknown = JSON.parse(json);
  if (!Array.isArray(parsed) || !parsed.every((p) => typeof p === "string")) throw new Error("record version: prescriptions are not a list of strings");
  return parsed;
}

const toRecordView = (cipher: FieldCipher, entry: RecordEntryRow, v: RecordVersionJson): RecordEntryView => ({
  id: entry.id,
  patientId: entry.patient_id,
  encounterId: entry.encounter_id,
  entryAuthorId: entry.author_id,
  authorId: v.author_id,
  status: v.status,
  version: v.version,
  complaints: open(cipher, v.complaints_enc),
  diagnosisCode: v.diagnosis_code,
  diagnosis: open(cipher, v.diagnosis_enc),
  prescriptions: openPrescriptions(cipher, v.prescriptions_enc),
  notes: open(cipher, v.notes_enc),
  amendReason: open(cipher, v.amend_reason_enc),
  createdAt: new Date(v.created_at),
  signedAt: v.signed_at === null ? null : new Date(v.signed_at),
});

/** An entry's versions as views (oldest first) and its current one. */
export function toSavedEntry(cipher: FieldCipher, row: RecordEntryRow): { current: RecordEntryView; history: RecordEntryView[] } {
  const history = (row.versions ?? []).map((v) => toRecordView(cipher, row, v));
  const current = history.find((v) => v.version === row.current_version);
  if (!current) throw new Error(`record entry ${row.id}: current version ${row.current_version} is missing`);
  return { current, history };
}

export const BOARD_COLUMNS =
  "encounter_id, appointment_id, to_char(day, 'YYYY-MM-DD') AS day, patient_id, doctor_id, state, since, arrived_at, pending_exams, unreviewed, updated_at";

export interface BoardRow {
  encounter_id: string;
  appointment_id: string | null;
  /** YYYY-MM-DD. */
  day: string;
  patient_id: string;
  doctor_id: string;
  state: BoardState;
  since: Date;
  arrived_at: Date;
  pending_exams: number;
  unreviewed: number;
  updated_at: Date;
}

export const toBoardEntry = (r: BoardRow): BoardEntry => ({
  encounterId: r.encounter_id,
  appointmentId: r.appointment_id,
  day: r.day,
  patientId: r.patient_id,
  doctorId: r.doctor_id,
  state: r.state,
  since: r.since,
  arrivedAt: r.arrived_at,
  pendingExams: r.pending_exams,
  unreviewed: r.unreviewed,
  updatedAt: r.updated_at,
});
