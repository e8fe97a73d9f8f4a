/** Billing's view of appointments (billing.appointments), kept from scheduling's events. Hand-written SQL over platform `Sql`. */
import type { Sql } from "@clinigraph/platform";
import type { AppointmentRepository, TransactionRepositories } from "../domain/ports.js";
import type { AppointmentRef } from "../domain/types.js";

interface AppointmentRow {
  appointment_id: string;
  patient_id: string;
  doctor_id: string;
  service_id: string | null;
  status: string;
  starts_at: Date;
}

const toAppointment = (row: AppointmentRow): AppointmentRef => ({
  appointmentId: row.appointment_id,
  patientId: row.patient_id,
  doctorId: row.doctor_id,
  serviceId: row.service_id,
  status: row.status,
  startsAt: row.starts_at,
});

/** The columns an appointment's save sets (all but its id): the last event of the appointment tells them all. */
const ON_CONFLICT_SET = `ON CONFLICT (appointment_id) DO UPDATE SET patient_id = EXCLUDED.patient_id, doctor_id = EXCLUDED.doctor_id,
  service_id = EXCLUDED.service_id, status = EXCLUDED.status, starts_at = EXCLUDED.starts_at, updated_at = EXCLUDED.updated_at`;

export function createAppointmentRepository(db: Sql): AppointmentRepository {
  return {
    async recordChanges(consumer, changes, now) {
      if (changes.length === 0) return true;
      // One statement, so atomic without a transaction. `drafted`: an appointment of an event with a service whose
      // visit has a DRAFT invoice (the domain then handles the events one by one); nothing is written if there is one.
      // `fresh`: the events not handled before. `latest`: each appointment's last fresh event (stream order = `ord`),
      // so an appointment is written once, as handling its events in turn would leave it.
      const { rows } = await db.query<{ recorded: boolean }>(
        `WITH input AS (
           SELECT * FROM unnest($2::text[], $3::uuid[], $4::uuid[], $5::uuid[], $6::uuid[], $7::text[], $8::timestamptz[]) WITH ORDINALITY
             AS e(event_id, appointment_id, patient_id, doctor_id, service_id, status, starts_at, ord)),
         drafted AS (
           SELECT 1 FROM billing.invoices i
            WHERE i.status = 'DRAFT' AND i.appointment_id IN (SELECT appointment_id FROM input WHERE service_id IS NOT NULL)
            LIMIT 1),
         fresh AS (
           INSERT INTO billing.processed_events (consumer, event_id)
           SELECT $1::text, event_id FROM input WHERE NOT EXISTS (SELECT 1 FROM drafted)
           ON CONFLICT DO NOTHING
           RETURNING event_id),
         latest AS (
           SELECT DISTINCT ON (e.appointment_id) e.* FROM input e JOIN fresh f ON f.event_id = e.event_id ORDER BY e.appointment_id, e.ord DESC),
         saved AS (
           INSERT INTO billing.appointments (appointment_id, patient_id, doctor_id, service_id, status, starts_at, updated_at)
           SELECT appointment_id, patient_id, doctor_id, service_id, status, starts_at, $9::timestamptz FROM latest
           ${ON_CONFLICT_SET})
         SELECT NOT EXISTS (SELECT 1 FROM drafted) AS recorded`,
        [
          consumer,
          changes.map((change) => change.eventId),
          changes.map((change) => change.appointment.appointmentId),
          changes.map((change) => change.appointment.patientId),
          changes.map((change) => change.appointment.doctorId),
          changes.map((change) => change.appointment.serviceId),
          changes.map((change) => change.appointment.status),
          changes.map((change) => change.appointment.startsAt.toISOString()),
          now,
        ],
      );
      return rows[0]!.recorded;
    },
  };
}

export function createTransactionAppointments(tx: Sql): TransactionRepositories["appointments"] {
  return {
    async save(ref, now) {
      await tx.query(
        `INSERT INTO billing.appointments (appointment_id, patient_id, doctor_id, service_id, status, starts_at, updated_at)
         VALUES ($1::uuid, $2::uuid, $3::uuid, $4::uuid, $5, $6::timestamptz, $7::timestamptz)
         ${ON_CONFLICT_SET}`,
        [ref.appointmentId, ref.patientId, ref.doctorId, ref.serviceId, ref.status, ref.startsAt, now],
      );
    },
    async find(appointmentId) {
      const { rows } = await tx.query<AppointmentRow>(
        `SELECT appointment_id, patient_id, doctor_id, service_id, status, starts_at FROM billing.appointments WHERE appointment_id = $1::uuid`,
        [appointmentId],
      );
      return rows[0] ? toAppointment(rows[0]) : null;
    },
  };
}
