/**
 * Appointments in SQL over one pool or one transaction's connection. Row locks (`FOR UPDATE`) serialise writers of
 * one appointment; the exclusion constraint is the last line against double booking.
 */
import { randomUUID } from "node:crypto";
import { isUuid, type Sql } from "@clinigraph/platform";
import type { AppointmentRepository } from "../domain/ports.js";
import { LIVE_STATUSES, type Appointment, type AppointmentChanges, type NewAppointment } from "../domain/types.js";
import { isExclusionViolation } from "./exclusion.js";
import { APPOINTMENT_COLUMNS, seal, toAppointment, type AppointmentRow, type CipherSource } from "./mappers.js";

const LIVE = `status IN (${LIVE_STATUSES.map((s) => `'${s}'`).join(", ")})`;

/**
 * Inserts an appointment (its reason sealed). With `take`, it takes the appointment's slot in the same statement:
 * the slot turns BUSY, or — when another live appointment of the doctor overlaps that time (the exclusion
 * constraint, as the arbiter of ON CONFLICT DO NOTHING) — nothing is written and the answer is null, without an
 * error, so the transaction goes on.
 */
export async function insertAppointment(db: Sql, cipher: CipherSource, data: NewAppointment, now: Date, take: boolean): Promise<Appointment | null> {
  const values = [
    randomUUID(),
    data.patientId,
    data.doctorId,
    data.serviceId,
    data.slotId,
    data.startsAt,
    data.endsAt,
    data.status,
    seal(cipher(), data.reason),
    data.holdExpiresAt,
    data.overbooked,
    now,
  ];
  const insert = `INSERT INTO scheduling.appointments (id, patient_id, doctor_id, service_id, slot_id, starts_at, ends_at, status, reason_enc, hold_expires_at, overbooked, created_at, updated_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)
    ${take ? "ON CONFLICT DO NOTHING" : ""}
    RETURNING ${APPOINTMENT_COLUMNS}`;
  const { rows } = await db.query<AppointmentRow>(
    take
      ? `WITH inserted AS (${insert}),
           busy AS (UPDATE scheduling.slots SET status = 'BUSY' WHERE id = $5 AND EXISTS (SELECT 1 FROM inserted))
         SELECT * FROM inserted`
      : insert,
    values,
  );
  return rows[0] ? toAppointment(rows[0], cipher()) : null;
}

/** The columns `AppointmentChanges` may set, and their SQL names. */
const CHANGE_COLUMNS: Record<keyof AppointmentChanges, string> = {
  status: "status",
  holdExpiresAt: "hold_expires_at",
  doctorId: "doctor_id",
  slotId: "slot_id",
  startsAt: "starts_at",
  endsAt: "ends_at",
};

export function createAppointmentRepository(db: Sql, cipher: CipherSource): AppointmentRepository {
  const map = (row: AppointmentRow) => toAppointment(row, cipher());
  const transition: AppointmentRepository["transition"] = async (id, from, changes, now) => {
    const values: unknown[] = [id, [...from], now];
    const sets = ["updated_at = $3"];
    for (const [key, value] of Object.entries(changes) as [keyof AppointmentChanges, unknown][]) {
      if (value === undefined) continue;
      values.push(value);
      sets.push(`${CHANGE_COLUMNS[key]} = $${values.length}`);
    }
    const { rows } = await db.query<AppointmentRow>(
      `UPDATE scheduling.appointments SET ${sets.join(", ")} WHERE id = $1 AND status = ANY ($2::scheduling."AppointmentStatus"[]) RETURNING ${APPOINTMENT_COLUMNS}`,
      values,
    );
    return rows[0] ? map(rows[0]) : null;
  };
  return {
    async lock(id) {
      const { rows } = await db.query<AppointmentRow>(`SELECT ${APPOINTMENT_COLUMNS} FROM scheduling.appointments WHERE id = $1 FOR UPDATE`, [id]);
      return rows[0] ? map(rows[0]) : null;
    },
    async findByIds(ids) {
      const { rows } = await db.query<AppointmentRow>(`SELECT ${APPOINTMENT_COLUMNS} FROM scheduling.appointments WHERE id = ANY ($1::uuid[])`, [
        ids.filter(isUuid),
      ]);
      return rows.map(map);
    },
    async listOwn(scope, { status, after, take }) {
      const values: unknown[] = ["patientId" in scope ? scope.patientId : scope.doctorId, take];
      const where = ["patientId" in scope ? "patient_id = $1" : "doctor_id = $1"];
      if (status) {
        values.push(status);
        where.push(`status = $${values.length}`);
      }
      if (after) {
        values.push(after.startsAt, after.id);
        where.push(`(starts_at, id) > ($${values.length - 1}, $${values.length}::uuid)`);
      }
      const { rows } = await db.query<AppointmentRow>(
        `SELECT ${APPOINTMENT_COLUMNS} FROM scheduling.appointments WHERE ${where.join(" AND ")} ORDER BY starts_at, id LIMIT $2`,
        values,
      );
      return rows.map(map);
    },
    async calendar(doctorId, from, to, take) {
      const { rows } = await db.query<AppointmentRow>(
        `SELECT ${APPOINTMENT_COLUMNS} FROM scheduling.appointments
         WHERE ($1::uuid IS NULL OR doctor_id = $1) AND starts_at < $3 AND ends_at > $2
         ORDER BY starts_at, id LIMIT $4`,
        [doctorId, from, to, take],
      );
      return rows.map(map);
    },
    insert: async (data, now) => (await insertAppointment(db, cipher, data, now, false))!,
    transition,
    async move(id, from, changes, now) {
      await db.query("SAVEPOINT move_slot");
      try {
        const appointment = await transition(id, from, changes, now);
        await db.query("RELEASE SAVEPOINT move_slot");
        return appointment ? { kind: "MOVED", appointment } : { kind: "CHANGED" };
      } catch (err) {
        if (!isExclusionViolation(err)) throw err;
        await db.query("ROLLBACK TO SAVEPOINT move_slot");
        return { kind: "OVERLAP" };
      }
    },
    async recordFeedback(id, { rating, comment }, now) {
      const { rowCount } = await db.query(
        `UPDATE scheduling.appointments SET feedback_rating = $2, feedback_comment_enc = $3, feedback_at = $4, updated_at = $4
         WHERE id = $1 AND status = 'FULFILLED' AND feedback_at IS NULL`,
        [id, rating, seal(cipher(), comment), now],
      );
      return rowCount === 1;
    },
    async liveOverlapping(doctorId, startsAt, endsAt) {
      const { rows } = await db.query<AppointmentRow>(
        `SELECT ${APPOINTMENT_COLUMNS} FROM scheduling.appointments WHERE doctor_id = $1 AND ${LIVE} AND starts_at < $3 AND ends_at > $2`,
        [doctorId, startsAt, endsAt],
      );
      return rows.map(map);
    },
    async countLivePatientDoctor(patientId, doctorId, from, to, exceptId) {
      const { rows } = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM scheduling.appointments
         WHERE patient_id = $1 AND doctor_id = $2 AND ${LIVE} AND starts_at >= $3 AND starts_at < $4 AND ($5::uuid IS NULL OR id <> $5)`,
        [patientId, doctorId, from, to, exceptId ?? null],
      );
      return rows[0]!.n;
    },
    async dueHolds(now, take) {
      const { rows } = await db.query<{ id: string }>(
        `SELECT id FROM scheduling.appointments WHERE status = 'PENDING' AND hold_expires_at <= $1 ORDER BY hold_expires_at LIMIT $2`,
        [now, take],
      );
      return rows.map((row) => row.id);
    },
    async flagNeedsAttention(doctorId, startsAt, endsAt, now) {
      const { rows } = await db.query<AppointmentRow>(
        `UPDATE scheduling.appointments SET needs_attention = true, updated_at = $4
         WHERE doctor_id = $1 AND ${LIVE} AND starts_at < $3 AND ends_at > $2 AND NOT needs_attention
         RETURNING ${APPOINTMENT_COLUMNS}`,
        [doctorId, startsAt, endsAt, now],
      );
      return rows.map((row) => toAppointment(row, cipher()));
    },
    async flagUpcoming(doctorId, from, now) {
      const { rows } = await db.query<AppointmentRow>(
        `UPDATE scheduling.appointments SET needs_attention = true, updated_at = $3
         WHERE doctor_id = $1 AND status IN ('PENDING', 'BOOKED') AND starts_at >= $2
         RETURNING ${APPOINTMENT_COLUMNS}`,
        [doctorId, from, now],
      );
      return rows.map(map).sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime() || a.id.localeCompare(b.id));
    },
    async patientsOfDoctorUser(doctorUserId, patientIds) {
      const { rows } = await db.query<{ patient_id: string }>(
        `SELECT DISTINCT a.patient_id FROM scheduling.appointments a
         JOIN scheduling.doctor_profiles p ON p.doctor_id = a.doctor_id
         WHERE p.user_id = $1 AND a.patient_id = ANY ($2::uuid[])`,
        [doctorUserId, [...patientIds]],
      );
      return rows.map((row) => row.patient_id);
    },
  };
}
