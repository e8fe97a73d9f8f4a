/** Notifications' view of appointments (notifications.appointments), kept from scheduling's events. */
import type { Sql } from "@clinigraph/platform";
import type { AppointmentStateRepository } from "../domain/ports.js";
import type { AppointmentState } from "../domain/types.js";

/** The columns of an appointment's state, named as the domain names them (uuid → string, timestamptz → Date). */
export const APPOINTMENT_STATE_COLUMNS = `appointment_id AS "appointmentId", patient_id AS "patientId", doctor_id AS "doctorId", doctor_user_id AS "doctorUserId",
  service_id AS "serviceId", status, starts_at AS "startsAt", ends_at AS "endsAt", last_event_at AS "lastEventAt"`;

export function createAppointmentStateRepository(db: Sql): AppointmentStateRepository {
  return {
    async find(appointmentId) {
      const { rows } = await db.query<AppointmentState>(`SELECT ${APPOINTMENT_STATE_COLUMNS} FROM notifications.appointments WHERE appointment_id = $1`, [
        appointmentId,
      ]);
      return rows[0] ?? null;
    },
  };
}
