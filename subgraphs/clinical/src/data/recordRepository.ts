/**
 * Record entries and their versions (the patient card): the RecordRepository port. Every text column is sealed,
 * the prescriptions as one sealed JSON array. An entry is read with all its versions in one statement.
 */
import { randomUUID } from "node:crypto";
import { isUuid, type FieldCipher, type Sql } from "@clinigraph/platform";
import type { RecordRepository, SavedEntry } from "../domain/ports.js";
import type { RecordContent } from "../domain/records.js";
import { RECORD_ENTRY_SELECT, seal, toSavedEntry, type RecordEntryRow } from "./mappers.js";

/** The sealed columns of a version's content: complaints_enc, diagnosis_code, diagnosis_enc, prescriptions_enc, notes_enc. */
const sealContent = (cipher: FieldCipher, c: RecordContent) => [
  seal(cipher, c.complaints),
  c.diagnosisCode,
  seal(cipher, c.diagnosis),
  c.prescriptions.length ? seal(cipher, JSON.stringify(c.prescriptions)) : null,
  seal(cipher, c.notes),
];

export function createRecordRepository(db: Sql, cipher: FieldCipher): RecordRepository {
  const entries = async (where: string, values: unknown[]): Promise<SavedEntry[]> =>
    (await db.query<RecordEntryRow>(`${RECORD_ENTRY_SELECT} ${where}`, values)).rows.map((row) => toSavedEntry(cipher, row));
  /** The unsigned DRAFT `version` of the entry, changed by `set` (the database trigger would refuse a signed one anyway). */
  const changeDraft = async (set: string, values: unknown[]) =>
    (await db.query(`UPDATE clinical.record_versions SET ${set} WHERE entry_id = $1 AND version = $2 AND status = 'DRAFT' AND signed_at IS NULL`, values))
      .rowCount === 1;
  return {
    async find(where) {
      const found =
        "id" in where
          ? await entries(`WHERE e.id = $1`, [where.id])
          : await entries(`WHERE e.encounter_id = $1 AND e.author_id = $2 LIMIT 1`, [where.encounterId, where.authorId]);
      return found[0] ?? null;
    },
    async byIds(ids) {
      const wanted = ids.filter(isUuid);
      return wanted.length === 0 ? [] : entries(`WHERE e.id = ANY ($1::uuid[])`, [wanted]);
    },
    async ofEncounters(encounterIds) {
      return encounterIds.length === 0 ? [] : entries(`WHERE e.encounter_id = ANY ($1::uuid[]) ORDER BY e.created_at, e.id`, [[...encounterIds]]);
    },
    ofPatient: (patientId) => entries(`WHERE e.patient_id = $1 ORDER BY e.created_at DESC, e.id`, [patientId]),
    async lock(where) {
      const { rowCount } =
        "id" in where
          ? await db.query(`SELECT id FROM clinical.record_entries WHERE id = $1 FOR UPDATE`, [where.id])
          : await db.query(`SELECT id FROM clinical.record_entries WHERE encounter_id = $1 AND author_id = $2 FOR UPDATE`, [where.encounterId, where.authorId]);
      return (rowCount ?? 0) > 0;
    },
    async createDraft({ patientId, encounterId, authorId, content, at }) {
      const entryId = randomUUID();
      await db.query(
        `WITH entry AS (
           INSERT INTO clinical.record_entries (id, patient_id, encounter_id, author_id, current_version, created_at)
           VALUES ($1, $2, $3, $4, 1, $5) RETURNING id)
         INSERT INTO clinical.record_versions (id, entry_id, version, status, complaints_enc, diagnosis_code, diagnosis_enc, prescriptions_enc, notes_enc, author_id, created_at, updated_at)
         SELECT $6::uuid, entry.id, 1, 'DRAFT'::clinical."RecordStatus", $7::text, $8::text, $9::text, $10::text, $11::text, $4::uuid, $5::timestamptz, $5::timestamptz
         FROM entry`,
        [entryId, patientId, encounterId, authorId, at, randomUUID(), ...sealContent(cipher, content)],
      );
    },
    updateDraft: (entryId, version, content, at) =>
      changeDraft(`complaints_enc = $3, diagnosis_code = $4, diagnosis_enc = $5, prescriptions_enc = $6, notes_enc = $7, updated_at = $8`, [
        entryId,
        version,
        ...sealContent(cipher, content),
        at,
      ]),
    sign: (entryId, version, at) => changeDraft(`status = 'SIGNED', signed_at = $3, updated_at = $3`, [entryId, version, at]),
    async amend({ entryId, version, content, reason, authorId, at }) {
      await db.query(
        `WITH amended AS (
           INSERT INTO clinical.record_versions (id, entry_id, version, status, complaints_enc, diagnosis_code, diagnosis_enc, prescriptions_enc, notes_enc,
             amend_reason_enc, author_id, created_at, updated_at, signed_at)
           VALUES ($1, $2, $3, 'AMENDED', $4, $5, $6, $7, $8, $9, $10, $11, $11, $11))
         UPDATE clinical.record_entries SET current_version = $3 WHERE id = $2`,
        [randomUUID(), entryId, version, ...sealContent(cipher, content), seal(cipher, reason), authorId, at],
      );
    },
  };
}
