/** Waitlist entries, and the pending offers of freed slots (domain/waitlist.ts). */
import type { PendingOfferRepository, WaitlistRepository } from "../domain/ports.js";
import { toWaitlistEntry } from "./mappers.js";
import type { Tx } from "./prisma.js";

export function createWaitlistRepository(db: Tx): WaitlistRepository {
  return {
    async create(entry) {
      return toWaitlistEntry(await db.waitlistEntry.create({ data: entry }));
    },
    async ofPatient(patientId) {
      return (await db.waitlistEntry.findMany({ where: { patientId }, orderBy: { createdAt: "asc" } })).map(toWaitlistEntry);
    },
    async candidates(slot, serviceIds, exclude, take) {
      const rows = await db.$queryRaw<{ id: string; patient_id: string }[]>`
        SELECT id, patient_id FROM scheduling.waitlist_entries
        WHERE status = 'WAITING' AND from_at <= ${slot.startsAt} AND to_at > ${slot.startsAt}
          AND (doctor_id IS NULL OR doctor_id = ${slot.doctorId}::uuid)
          AND (service_id IS NULL OR service_id = ANY (${serviceIds}::uuid[]))
          AND NOT (id = ANY (${exclude}::uuid[]))
        ORDER BY created_at, id
        LIMIT ${take}`;
      return rows.map((row) => ({ id: row.id, patientId: row.patient_id }));
    },
    async lockMatching(entryId, slot, serviceIds) {
      const [waiting] = await db.$queryRaw<{ id: string; service_id: string | null }[]>`
        SELECT id, service_id FROM scheduling.waitlist_entries
        WHERE id = ${entryId}::uuid AND status = 'WAITING' AND from_at <= ${slot.startsAt} AND to_at > ${slot.startsAt}
          AND (doctor_id IS NULL OR doctor_id = ${slot.doctorId}::uuid)
          AND (service_id IS NULL OR service_id = ANY (${serviceIds}::uuid[]))
        FOR UPDATE`;
      return waiting ? { id: waiting.id, serviceId: waiting.service_id } : null;
    },
    async markOffered(entryId, appointmentId) {
      await db.waitlistEntry.update({ where: { id: entryId }, data: { status: "OFFERED", offeredAppointmentId: appointmentId } });
    },
  };
}

export function createPendingOfferRepository(db: Tx): PendingOfferRepository {
  return {
    async freedAt(slotId) {
      return (await db.pendingOffer.findUnique({ where: { slotId } }))?.freedAt ?? null;
    },
    async clear(slotId, freedAt) {
      await db.pendingOffer.deleteMany({ where: { slotId, freedAt } });
    },
    async freedBefore(before, take) {
      const stale = await db.pendingOffer.findMany({ where: { freedAt: { lt: before } }, orderBy: { freedAt: "asc" }, take });
      return stale.map((offer) => offer.slotId);
    },
  };
}
