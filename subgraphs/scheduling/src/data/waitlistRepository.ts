/** Waitlist entries, and the pending offers of freed slots (domain/waitlist.ts). */
import type { Sql } from "@clinigraph/platform";
import type { PendingOfferRepository, WaitlistRepository } from "../domain/ports.js";
import { WAITLIST_COLUMNS, toWaitlistEntry, type WaitlistRow } from "./mappers.js";

/** A WAITING entry that matches the slot at $1 (starts_at), $2 (doctor) and $3 (the services it may be for). */
const MATCHES_SLOT = `status = 'WAITING' AND from_at <= $1 AND to_at > $1
  AND (doctor_id IS NULL OR doctor_id = $2) AND (service_id IS NULL OR service_id = ANY ($3::uuid[]))`;

export function createWaitlistRepository(db: Sql): WaitlistRepository {
  return {
    async create(entry) {
      const { rows } = await db.query<WaitlistRow>(
        `INSERT INTO scheduling.waitlist_entries (${WAITLIST_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING ${WAITLIST_COLUMNS}`,
        [entry.id, entry.patientId, entry.doctorId, entry.serviceId, entry.from, entry.to, entry.status, entry.offeredAppointmentId, entry.createdAt],
      );
      return toWaitlistEntry(rows[0]!);
    },
    async ofPatient(patientId) {
      const { rows } = await db.query<WaitlistRow>(`SELECT ${WAITLIST_COLUMNS} FROM scheduling.waitlist_entries WHERE patient_id = $1 ORDER BY created_at`, [
        patientId,
      ]);
      return rows.map(toWaitlistEntry);
    },
    async candidates(slot, serviceIds, exclude, take) {
      const { rows } = await db.query<{ id: string; patient_id: string }>(
        `SELECT id, patient_id FROM scheduling.waitlist_entries
         WHERE ${MATCHES_SLOT} AND NOT (id = ANY ($4::uuid[]))
         ORDER BY created_at, id LIMIT $5`,
        [slot.startsAt, slot.doctorId, [...serviceIds], [...exclude], take],
      );
      return rows.map((row) => ({ id: row.id, patientId: row.patient_id }));
    },
    async lockMatching(entryId, slot, serviceIds) {
      const { rows } = await db.query<{ id: string; service_id: string | null }>(
        `SELECT id, service_id FROM scheduling.waitlist_entries WHERE id = $4 AND ${MATCHES_SLOT} FOR UPDATE`,
        [slot.startsAt, slot.doctorId, [...serviceIds], entryId],
      );
      const waiting = rows[0];
      return waiting ? { id: waiting.id, serviceId: waiting.service_id } : null;
    },
    async markOffered(entryId, appointmentId) {
      await db.query(`UPDATE scheduling.waitlist_entries SET status = 'OFFERED', offered_appointment_id = $2 WHERE id = $1`, [entryId, appointmentId]);
    },
  };
}

export function createPendingOfferRepository(db: Sql): PendingOfferRepository {
  return {
    async freedAt(slotId) {
      const { rows } = await db.query<{ freed_at: Date }>(`SELECT freed_at FROM scheduling.pending_offers WHERE slot_id = $1`, [slotId]);
      return rows[0]?.freed_at ?? null;
    },
    async clear(slotId, freedAt) {
      await db.query(`DELETE FROM scheduling.pending_offers WHERE slot_id = $1 AND freed_at = $2`, [slotId, freedAt]);
    },
    async freedBefore(before, take) {
      const { rows } = await db.query<{ slot_id: string }>(`SELECT slot_id FROM scheduling.pending_offers WHERE freed_at < $1 ORDER BY freed_at LIMIT $2`, [
        before,
        take,
      ]);
      return rows.map((row) => row.slot_id);
    },
  };
}
