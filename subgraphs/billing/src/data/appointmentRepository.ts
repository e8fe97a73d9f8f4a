/** Billing's view of appointments (billing.appointments), kept from scheduling's events. */
import type { TransactionRepositories } from "../domain/ports.js";
import type { Tx } from "./prisma.js";

export function createTransactionAppointments(tx: Tx): TransactionRepositories["appointments"] {
  return {
    async save(ref, now) {
      const data = { patientId: ref.patientId, doctorId: ref.doctorId, serviceId: ref.serviceId, status: ref.status, startsAt: ref.startsAt, updatedAt: now };
      await tx.appointmentRef.upsert({ where: { appointmentId: ref.appointmentId }, create: { appointmentId: ref.appointmentId, ...data }, update: data });
    },
    async find(appointmentId) {
      const row = await tx.appointmentRef.findUnique({ where: { appointmentId } });
      return row
        ? {
            appointmentId: row.appointmentId,
            patientId: row.patientId,
            doctorId: row.doctorId,
            serviceId: row.serviceId,
            status: row.status,
            startsAt: row.startsAt,
          }
        : null;
    },
  };
}
