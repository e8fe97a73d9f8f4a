/** clinical.board_entries: the clinic board's read model. */
import type { Sql } from "@clinigraph/platform";
import type { BoardRepository } from "../domain/ports.js";
import { BOARD_COLUMNS, toBoardEntry, type BoardRow } from "./mappers.js";

export const createBoardRepository = (db: Sql): BoardRepository => ({
  async ofDay(day, limit) {
    const { rows } = await db.query<BoardRow>(
      `SELECT ${BOARD_COLUMNS} FROM clinical.board_entries WHERE day = $1::date ORDER BY arrived_at, encounter_id LIMIT $2`,
      [day, limit],
    );
    return rows.map(toBoardEntry);
  },
  async lock(encounterId) {
    const { rows } = await db.query<BoardRow>(`SELECT ${BOARD_COLUMNS} FROM clinical.board_entries WHERE encounter_id = $1 FOR UPDATE`, [encounterId]);
    return rows[0] ? toBoardEntry(rows[0]) : null;
  },
  async save(e) {
    await db.query(
      `INSERT INTO clinical.board_entries (encounter_id, appointment_id, day, patient_id, doctor_id, state, since, arrived_at, pending_exams, unreviewed, updated_at)
       VALUES ($1, $2, $3::date, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (encounter_id) DO UPDATE SET appointment_id = EXCLUDED.appointment_id, day = EXCLUDED.day, patient_id = EXCLUDED.patient_id,
         doctor_id = EXCLUDED.doctor_id, state = EXCLUDED.state, since = EXCLUDED.since, arrived_at = EXCLUDED.arrived_at,
         pending_exams = EXCLUDED.pending_exams, unreviewed = EXCLUDED.unreviewed, updated_at = EXCLUDED.updated_at`,
      [e.encounterId, e.appointmentId, e.day, e.patientId, e.doctorId, e.state, e.since, e.arrivedAt, e.pendingExams, e.unreviewed, e.updatedAt],
    );
  },
});
