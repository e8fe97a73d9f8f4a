/**
 * Slots in SQL over one pool or one transaction's connection. A slot's row lock (`FOR UPDATE`) serialises its
 * bookings; taking a slot inserts the appointment and marks the slot BUSY in one statement, and an overlap found by
 * the exclusion constraint writes nothing (ON CONFLICT DO NOTHING), so the transaction goes on.
 */
import { randomUUID } from "node:crypto";
import { isUuid, type Sql } from "@clinigraph/platform";
import type { SlotRepository } from "../domain/ports.js";
import { insertAppointment } from "./appointmentRepository.js";
import { SLOT_COLUMNS, toSlot, type CipherSource, type SlotRow } from "./mappers.js";

/** Alternatives are looked for within this distance of the wanted time. */
const WINDOW = "14 days";

/**
 * The `limit` free slots nearest to `at` among those `where` admits, within the window: two index scans walking away
 * from `at` (one forward, one backward), each stopping after `limit` rows, so the cost does not grow with the number
 * of slots. `where` reads `s` (the slot) and may use parameters from $5 on.
 */
const nearest = (where: string) => `
  SELECT ${prefixed("s")} FROM (
    (SELECT s.* FROM scheduling.slots s
      WHERE s.status = 'FREE' AND s.starts_at >= $1 AND s.starts_at >= $2 AND s.starts_at < $1::timestamptz + $4::interval AND ${where}
      ORDER BY s.starts_at LIMIT $3)
    UNION ALL
    (SELECT s.* FROM scheduling.slots s
      WHERE s.status = 'FREE' AND s.starts_at < $1 AND s.starts_at >= $2 AND s.starts_at >= $1::timestamptz - $4::interval AND ${where}
      ORDER BY s.starts_at DESC LIMIT $3)
  ) s
  ORDER BY abs(extract(epoch FROM s.starts_at - $1::timestamptz)), s.starts_at, s.id
  LIMIT $3`;

function prefixed(alias: string) {
  return SLOT_COLUMNS.split(", ")
    .map((column) => `${alias}.${column}`)
    .join(", ");
}

export function createSlotRepository(db: Sql, cipher: CipherSource): SlotRepository {
  const setStatus: SlotRepository["setStatus"] = async (slotId, status) => {
    if (slotId) await db.query(`UPDATE scheduling.slots SET status = $2 WHERE id = $1`, [slotId, status]);
  };
  const one = async (text: string, values: unknown[]) => {
    const { rows } = await db.query<SlotRow>(text, values);
    return rows[0] ? toSlot(rows[0]) : null;
  };
  return {
    lock: (id) => one(`SELECT ${SLOT_COLUMNS} FROM scheduling.slots WHERE id = $1 FOR UPDATE`, [id]),
    findById: (id) => one(`SELECT ${SLOT_COLUMNS} FROM scheduling.slots WHERE id = $1`, [id]),
    async findByIds(ids) {
      const { rows } = await db.query<SlotRow>(`SELECT ${SLOT_COLUMNS} FROM scheduling.slots WHERE id = ANY ($1::uuid[])`, [ids.filter(isUuid)]);
      const byId = new Map(rows.map((r) => [r.id, toSlot(r)]));
      return ids.map((id) => byId.get(id)!).filter(Boolean);
    },
    async searchFree({ earliest, to, doctorIds, specialtyCode, location, take }) {
      const values: unknown[] = [earliest, to, take];
      // A deactivated doctor's slots are blocked; a slot freed in a race with the deactivation is not offered either.
      const where = ["s.status = 'FREE'", "s.starts_at >= $1", "s.starts_at < $2", "p.active IS NOT FALSE"];
      if (doctorIds) {
        values.push([...doctorIds]);
        where.push(`s.doctor_id = ANY ($${values.length}::uuid[])`);
      }
      if (specialtyCode) {
        values.push(specialtyCode);
        where.push(`s.specialty_code = $${values.length}`);
      }
      if (location) {
        values.push(location);
        where.push(`lower(s.location) = lower($${values.length})`);
      }
      // The page's doctor names come with it (Slot.doctor provides Doctor.name): no second statement, no promise per slot.
      const { rows } = await db.query<SlotRow & { doctor_name: string | null }>(
        `SELECT ${prefixed("s")}, p.name AS doctor_name FROM scheduling.slots s
         LEFT JOIN scheduling.doctor_profiles p ON p.doctor_id = s.doctor_id
         WHERE ${where.join(" AND ")} ORDER BY s.starts_at, s.id LIMIT $3`,
        values,
      );
      return rows.map(toSlot);
    },
    async alternatives(wanted, serviceId, earliest, limit) {
      // Both kinds in one statement (one round trip): the same doctor's nearest, then other doctors' of the service
      // (or specialty) nearest, each ranked by distance from the wanted time.
      const others = serviceId
        ? `s.doctor_id <> $5 AND s.doctor_id IN (SELECT p.doctor_id FROM scheduling.doctor_profiles p WHERE $7::uuid = ANY (p.service_ids))`
        : `s.doctor_id <> $5 AND s.specialty_code = $7`;
      // Each kind ranked as `nearest` ranks it (distance from the wanted time, then start, then id), stated again here:
      // a subquery's order does not survive the UNION and the join.
      const { rows } = await db.query<SlotRow & { part: number; doctor_name: string | null }>(
        `SELECT alternatives.*, p.name AS doctor_name FROM (
           SELECT 0 AS part, a.* FROM (${nearest(`s.doctor_id = $5 AND s.id <> $6`)}) a
           UNION ALL
           SELECT 1 AS part, b.* FROM (${nearest(others)}) b
         ) alternatives LEFT JOIN scheduling.doctor_profiles p ON p.doctor_id = alternatives.doctor_id
         ORDER BY alternatives.part, abs(extract(epoch FROM alternatives.starts_at - $1::timestamptz)), alternatives.starts_at, alternatives.id`,
        [wanted.startsAt, earliest, limit, WINDOW, wanted.doctorId, wanted.id, serviceId ?? wanted.specialtyCode],
      );
      return rows.map(toSlot);
    },
    setStatus,
    take: (data, now) => insertAppointment(db, cipher, data, now, true),
    async release(slot, exceptAppointmentId, now) {
      if (!slot.id) return false;
      // Freed unless another live appointment still covers the slot's time; recorded for the waitlist in the same
      // statement: the offer runs after the commit (domain/waitlist.ts), and if a crash interrupts it, the hold sweep
      // finds the record and makes it. A deactivated doctor's slot is blocked instead: nobody is offered it.
      const { rows } = await db.query<{ freed: boolean }>(
        `WITH released AS (
           UPDATE scheduling.slots SET status = CASE
               WHEN EXISTS (SELECT 1 FROM scheduling.doctor_profiles p WHERE p.doctor_id = $2 AND NOT p.active) THEN 'BLOCKED'::scheduling."SlotStatus"
               ELSE 'FREE'::scheduling."SlotStatus" END
           WHERE id = $1 AND status = 'BUSY'
             AND NOT EXISTS (
               SELECT 1 FROM scheduling.appointments a
               WHERE a.id <> $5 AND a.doctor_id = $2 AND a.status IN ('PENDING', 'BOOKED', 'CHECKED_IN') AND a.starts_at < $4 AND a.ends_at > $3)
           RETURNING id, status),
         freed AS (SELECT id FROM released WHERE status = 'FREE'),
         offered AS (
           INSERT INTO scheduling.pending_offers (slot_id, freed_at) SELECT id, $6 FROM freed
           ON CONFLICT (slot_id) DO UPDATE SET freed_at = EXCLUDED.freed_at)
         SELECT EXISTS (SELECT 1 FROM freed) AS freed`,
        [slot.id, slot.doctorId, slot.startsAt, slot.endsAt, exceptAppointmentId, now],
      );
      return rows[0]!.freed;
    },
    async startingFrom(doctorId, from) {
      const { rows } = await db.query<SlotRow>(`SELECT ${SLOT_COLUMNS} FROM scheduling.slots WHERE doctor_id = $1 AND starts_at >= $2`, [doctorId, from]);
      return rows.map(toSlot);
    },
    async removeUnbooked(ids) {
      const { rowCount } = await db.query(`DELETE FROM scheduling.slots WHERE id = ANY ($1::uuid[]) AND status <> 'BUSY'`, [[...ids]]);
      return rowCount ?? 0;
    },
    async switchStatus(ids, from, to) {
      const { rowCount } = await db.query(`UPDATE scheduling.slots SET status = $3 WHERE id = ANY ($1::uuid[]) AND status = $2`, [[...ids], from, to]);
      return rowCount ?? 0;
    },
    async addMany(slots) {
      if (slots.length === 0) return 0;
      const { rowCount } = await db.query(
        `INSERT INTO scheduling.slots (id, doctor_id, starts_at, ends_at, status, specialty_code, location)
         SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::timestamptz[], $4::timestamptz[], $5::scheduling."SlotStatus"[], $6::text[], $7::text[])
         ON CONFLICT (doctor_id, starts_at) DO NOTHING`,
        [
          slots.map(() => randomUUID()),
          slots.map((s) => s.doctorId),
          slots.map((s) => s.startsAt),
          slots.map((s) => s.endsAt),
          slots.map((s) => s.status),
          slots.map((s) => s.specialtyCode),
          slots.map((s) => s.location),
        ],
      );
      return rowCount ?? 0;
    },
    async relabel(doctorId, from, labels) {
      await db.query(`UPDATE scheduling.slots SET specialty_code = $3, location = $4 WHERE doctor_id = $1 AND starts_at >= $2`, [
        doctorId,
        from,
        labels.specialtyCode,
        labels.location,
      ]);
    },
  };
}
