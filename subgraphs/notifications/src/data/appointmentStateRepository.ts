/** Notifications' view of appointments (notifications.appointments), kept from scheduling's events. */
import type { AppointmentStateRepository, TransactionRepositories } from "../domain/ports.js";
import type { AppointmentState } from "../domain/types.js";
import type { PrismaClient, Tx } from "./prisma.js";

export function createAppointmentStateRepository(prisma: PrismaClient): AppointmentStateRepository {
  return { find: (appointmentId) => prisma.appointmentState.findUnique({ where: { appointmentId } }) };
}

export function createTransactionAppointments(tx: Tx): TransactionRepositories["appointments"] {
  return {
    async lock(state) {
      // Create the row if this is the first event of the appointment, then hold its lock to the end of the transaction.
      await tx.$executeRaw`
        INSERT INTO notifications.appointments (appointment_id, patient_id, doctor_id, doctor_user_id, service_id, status, starts_at, ends_at, last_event_at)
        VALUES (${state.appointmentId}::uuid, ${state.patientId}::uuid, ${state.doctorId}::uuid, ${state.doctorUserId}::uuid, ${state.serviceId}::uuid,
                ${state.status}, ${state.startsAt}, ${state.endsAt}, ${state.lastEventAt})
        ON CONFLICT (appointment_id) DO NOTHING`;
      const rows = await tx.$queryRaw<AppointmentState[]>`
        SELECT appointment_id AS "appointmentId", patient_id AS "patientId", doctor_id AS "doctorId", doctor_user_id AS "doctorUserId",
               service_id AS "serviceId", status, starts_at AS "startsAt", ends_at AS "endsAt", last_event_at AS "lastEventAt"
          FROM notifications.appointments WHERE appointment_id = ${state.appointmentId}::uuid FOR UPDATE`;
      return rows[0]!;
    },
    async save(state) {
      const { appointmentId, ...rest } = state;
      await tx.appointmentState.update({ where: { appointmentId }, data: rest });
    },
  };
}
