/** clinical.exam_worklist: the examiners' worklist read model. */
import type { Sql } from "@clinigraph/platform";
import type { WorklistRepository } from "../domain/ports.js";

export const createWorklistRepository = (db: Sql): WorklistRepository => ({
  async ordered(limit) {
    const { rows } = await db.query<{ examination_id: string }>(
      `SELECT examination_id FROM clinical.exam_worklist WHERE status = 'ORDERED' ORDER BY ordered_at, examination_id LIMIT $1`,
      [limit],
    );
    return rows.map((r) => r.examination_id);
  },
  async apply(x, at) {
    // A row moves forward only: ORDERED (0) < PERFORMED | CANCELLED (1) < REVIEWED (2).
    await db.query(
      `INSERT INTO clinical.exam_worklist AS w (examination_id, encounter_id, patient_id, service_id, status, ordered_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (examination_id) DO UPDATE SET status = EXCLUDED.status, updated_at = EXCLUDED.updated_at
       WHERE (CASE EXCLUDED.status::text WHEN 'ORDERED' THEN 0 WHEN 'PERFORMED' THEN 1 WHEN 'CANCELLED' THEN 1 WHEN 'REVIEWED' THEN 2 END)
           > (CASE w.status::text WHEN 'ORDERED' THEN 0 WHEN 'PERFORMED' THEN 1 WHEN 'CANCELLED' THEN 1 WHEN 'REVIEWED' THEN 2 END)`,
      [x.examinationId, x.encounterId, x.patientId, x.serviceId, x.status, x.orderedAt, at],
    );
  },
});
