/** clinical.examinations: the ExaminationRepository port (result and cancellation reason sealed at rest). */
import { randomUUID } from "node:crypto";
import { isUuid, type FieldCipher, type Sql } from "@clinigraph/platform";
import type { ExaminationChange, ExaminationRepository } from "../domain/ports.js";
import { EXAMINATION_COLUMNS, seal, toExamination, type ExaminationRow } from "./mappers.js";

/** The columns a change may set, by field of ExaminationChange (sealed fields take their sealed value). */
const CHANGE_COLUMNS: Readonly<Record<keyof ExaminationChange, string>> = {
  status: "status",
  performedAt: "performed_at",
  performedBy: "performed_by",
  result: "result_enc",
  cancelledAt: "cancelled_at",
  cancelledBy: "cancelled_by",
  cancelReason: "cancel_reason_enc",
  reviewedAt: "reviewed_at",
  reviewedBy: "reviewed_by",
};

export function createExaminationRepository(db: Sql, cipher: FieldCipher): ExaminationRepository {
  const many = async (text: string, values: unknown[]) => (await db.query<ExaminationRow>(text, values)).rows.map((row) => toExamination(cipher, row));
  const one = async (text: string, values: unknown[]) => (await many(text, values))[0] ?? null;
  return {
    byId: (id) => one(`SELECT ${EXAMINATION_COLUMNS} FROM clinical.examinations WHERE id = $1`, [id]),
    async byIds(ids, status) {
      const wanted = ids.filter(isUuid);
      if (wanted.length === 0) return [];
      return many(
        `SELECT ${EXAMINATION_COLUMNS} FROM clinical.examinations WHERE id = ANY ($1::uuid[]) AND ($2::clinical."ExaminationStatus" IS NULL OR status = $2)`,
        [wanted, status ?? null],
      );
    },
    async ofEncounters(encounterIds) {
      if (encounterIds.length === 0) return [];
      return many(`SELECT ${EXAMINATION_COLUMNS} FROM clinical.examinations WHERE encounter_id = ANY ($1::uuid[]) ORDER BY ordered_at, id`, [
        [...encounterIds],
      ]);
    },
    ofPatient: (patientId) => many(`SELECT ${EXAMINATION_COLUMNS} FROM clinical.examinations WHERE patient_id = $1 ORDER BY ordered_at DESC, id`, [patientId]),
    ordered: (encounterId) =>
      many(`SELECT ${EXAMINATION_COLUMNS} FROM clinical.examinations WHERE encounter_id = $1 AND status = 'ORDERED' ORDER BY ordered_at, id`, [encounterId]),
    async countOrdered(encounterId, serviceId) {
      const { rows } = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM clinical.examinations WHERE encounter_id = $1 AND status = 'ORDERED' AND ($2::uuid IS NULL OR service_id = $2)`,
        [encounterId, serviceId ?? null],
      );
      return rows[0]!.n;
    },
    async encounterIdOf(id) {
      const { rows } = await db.query<{ encounter_id: string }>(`SELECT encounter_id FROM clinical.examinations WHERE id = $1`, [id]);
      return rows[0]?.encounter_id ?? null;
    },
    lock: (id) => one(`SELECT ${EXAMINATION_COLUMNS} FROM clinical.examinations WHERE id = $1 FOR UPDATE`, [id]),
    async add(x) {
      const row = await one(
        `INSERT INTO clinical.examinations (id, encounter_id, patient_id, service_id, status, ordered_at, ordered_by, updated_at)
         VALUES ($1, $2, $3, $4, 'ORDERED', $5, $6, $5) RETURNING ${EXAMINATION_COLUMNS}`,
        [randomUUID(), x.encounterId, x.patientId, x.serviceId, x.orderedAt, x.orderedBy],
      );
      return row!;
    },
    async change(id, expected, change, at) {
      const values: unknown[] = [id, expected.version, expected.status, at];
      const set = ["version = version + 1", "updated_at = $4"];
      for (const [field, column] of Object.entries(CHANGE_COLUMNS) as [keyof ExaminationChange, string][]) {
        const value = change[field];
        if (value === undefined) continue;
        values.push(field === "result" || field === "cancelReason" ? seal(cipher, value as string | null) : value);
        set.push(`${column} = $${values.length}`);
      }
      return one(`UPDATE clinical.examinations SET ${set.join(", ")} WHERE id = $1 AND version = $2 AND status = $3 RETURNING ${EXAMINATION_COLUMNS}`, values);
    },
  };
}
