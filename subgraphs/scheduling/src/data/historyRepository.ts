/** Appointment history (appointment_changes), listed by insertion order (`seq`): several changes may share one instant. */
import { randomUUID } from "node:crypto";
import type { Sql } from "@clinigraph/platform";
import type { HistoryRepository } from "../domain/ports.js";
import { CHANGE_COLUMNS, seal, toChange, type ChangeRow, type CipherSource } from "./mappers.js";

export function createHistoryRepository(db: Sql, cipher: CipherSource): HistoryRepository {
  return {
    async record(appointmentId, change, at) {
      await db.query(
        `INSERT INTO scheduling.appointment_changes (id, appointment_id, at, actor_id, actor_role, action, from_status, to_status, from_starts_at, to_starts_at, reason_enc)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
        [
          randomUUID(),
          appointmentId,
          at,
          change.actorId,
          change.actorRole,
          change.action,
          change.fromStatus,
          change.toStatus,
          change.fromStartsAt ?? null,
          change.toStartsAt ?? null,
          seal(cipher(), change.reason),
        ],
      );
    },
    async statusChanges(appointmentId) {
      const { rows } = await db.query<{ at: Date; from_status: ChangeRow["from_status"]; to_status: ChangeRow["to_status"] }>(
        `SELECT at, from_status, to_status FROM scheduling.appointment_changes WHERE appointment_id = $1 ORDER BY seq`,
        [appointmentId],
      );
      return rows.map((row) => ({ at: row.at, fromStatus: row.from_status, toStatus: row.to_status }));
    },
    async ofAppointments(ids) {
      const { rows } = await db.query<ChangeRow>(
        `SELECT ${CHANGE_COLUMNS} FROM scheduling.appointment_changes WHERE appointment_id = ANY ($1::uuid[]) ORDER BY seq`,
        [[...ids]],
      );
      return rows.map((row) => toChange(row, cipher()));
    },
  };
}
