/** clinical.care_relationships: clinical's own projection of which doctor cares for which patient. */
import { isUuid, type Sql } from "@clinigraph/platform";
import type { CareRepository } from "../domain/ports.js";
import type { CareRelationship } from "../domain/types.js";

const key = (c: CareRelationship) => `${c.doctorUserId.toLowerCase()} ${c.patientId.toLowerCase()}`;

export const createCareRepository = (db: Sql): CareRepository => {
  const recordAll: CareRepository["recordAll"] = async (cares) => {
    // The first of a pair wins (as one insert after the other would have it); rows go in key order, so two
    // writers of overlapping lists take their unique-index locks in the same order (no deadlock between them).
    const firsts = new Map<string, CareRelationship>();
    for (const care of cares) if (!firsts.has(key(care))) firsts.set(key(care), care);
    if (firsts.size === 0) return;
    const rows = [...firsts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, care]) => care);
    await db.query(
      `INSERT INTO clinical.care_relationships (doctor_user_id, patient_id, since, source)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::timestamptz[], $4::text[])
       ON CONFLICT DO NOTHING`,
      [rows.map((c) => c.doctorUserId), rows.map((c) => c.patientId), rows.map((c) => c.since), rows.map((c) => c.source)],
    );
  };
  return {
    record: (care) => recordAll([care]),
    recordAll,
    async exists(doctorUserId, patientId) {
      const { rowCount } = await db.query(`SELECT 1 FROM clinical.care_relationships WHERE doctor_user_id = $1 AND patient_id = $2`, [doctorUserId, patientId]);
      return (rowCount ?? 0) > 0;
    },
    async patientsOf(doctorUserId, patientIds) {
      const wanted = patientIds.filter(isUuid);
      if (wanted.length === 0) return [];
      const { rows } = await db.query<{ patient_id: string }>(
        `SELECT patient_id FROM clinical.care_relationships WHERE doctor_user_id = $1 AND patient_id = ANY ($2::uuid[])`,
        [doctorUserId, wanted],
      );
      return rows.map((r) => r.patient_id);
    },
  };
};
