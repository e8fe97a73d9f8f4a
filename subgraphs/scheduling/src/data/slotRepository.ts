/**
 * Slots over one Prisma client or transaction. A slot's row lock (`FOR UPDATE`) serialises its bookings; taking a
 * slot inserts the appointment under a savepoint, so an exclusion violation leaves the transaction usable.
 */
import { randomUUID } from "node:crypto";
import { isUuid } from "@clinigraph/platform";
import type { SlotRepository } from "../domain/ports.js";
import type { Slot } from "../domain/types.js";
import { insertAppointment, liveOverlap } from "./appointmentRepository.js";
import { isExclusionViolation } from "./exclusion.js";
import { toSlot, type CipherSource } from "./mappers.js";
import { Prisma, type Tx } from "./prisma.js";

/** Alternatives are looked for within this distance of the wanted time (keeps the search index-bound). */
const WINDOW = "14 days";

export function createSlotRepository(db: Tx, cipher: CipherSource): SlotRepository {
  const findByIds = async (ids: readonly string[]): Promise<Slot[]> => {
    const rows = await db.slot.findMany({ where: { id: { in: ids.filter(isUuid) } } });
    const byId = new Map(rows.map((r) => [r.id, toSlot(r)]));
    return ids.map((id) => byId.get(id)!).filter(Boolean);
  };
  const setStatus: SlotRepository["setStatus"] = async (slotId, status) => {
    if (slotId) await db.slot.update({ where: { id: slotId }, data: { status } });
  };
  return {
    async lock(id) {
      const rows = await db.$queryRaw<{ id: string }[]>`SELECT id FROM scheduling.slots WHERE id = ${id}::uuid FOR UPDATE`;
      if (rows.length === 0) return null;
      const row = await db.slot.findUnique({ where: { id } });
      return row ? toSlot(row) : null;
    },
    async findById(id) {
      const row = await db.slot.findUnique({ where: { id } });
      return row ? toSlot(row) : null;
    },
    findByIds,
    async searchFree({ earliest, to, doctorIds, specialtyCode, location, take }) {
      const where: Prisma.SlotWhereInput = { status: "FREE", startsAt: { gte: earliest, lt: to } };
      if (doctorIds) where.doctorId = doctorIds.length === 1 ? doctorIds[0] : { in: [...doctorIds] };
      if (specialtyCode) where.specialtyCode = specialtyCode;
      if (location) where.location = { equals: location, mode: "insensitive" };
      const rows = await db.slot.findMany({ where, orderBy: [{ startsAt: "asc" }, { id: "asc" }], take });
      return rows.map(toSlot);
    },
    async alternatives(wanted, serviceId, earliest, limit) {
      const sameDoctor = await db.$queryRaw<{ id: string }[]>`
        SELECT id FROM scheduling.slots
        WHERE doctor_id = ${wanted.doctorId}::uuid AND status = 'FREE' AND starts_at >= ${earliest} AND id <> ${wanted.id}::uuid
          AND starts_at BETWEEN ${wanted.startsAt}::timestamptz - ${WINDOW}::interval AND ${wanted.startsAt}::timestamptz + ${WINDOW}::interval
        ORDER BY abs(extract(epoch FROM starts_at - ${wanted.startsAt}::timestamptz)), starts_at
        LIMIT ${limit}`;
      const otherDoctors = await db.$queryRaw<{ id: string }[]>`
        SELECT s.id FROM scheduling.slots s
        JOIN scheduling.doctor_profiles p ON p.doctor_id = s.doctor_id
        WHERE s.status = 'FREE' AND s.doctor_id <> ${wanted.doctorId}::uuid AND s.starts_at >= ${earliest}
          AND s.starts_at BETWEEN ${wanted.startsAt}::timestamptz - ${WINDOW}::interval AND ${wanted.startsAt}::timestamptz + ${WINDOW}::interval
          AND ${serviceId ? Prisma.sql`${serviceId}::uuid = ANY (p.service_ids)` : Prisma.sql`p.specialty_code = ${wanted.specialtyCode}`}
        ORDER BY abs(extract(epoch FROM s.starts_at - ${wanted.startsAt}::timestamptz)), s.starts_at
        LIMIT ${limit}`;
      return findByIds([...sameDoctor, ...otherDoctors].map((r) => r.id));
    },
    setStatus,
    async take(data, now) {
      await db.$executeRaw`SAVEPOINT take_slot`;
      try {
        const appointment = await insertAppointment(db, cipher, data, now);
        await setStatus(data.slotId, "BUSY");
        return appointment;
      } catch (err) {
        if (!isExclusionViolation(err)) throw err;
        await db.$executeRaw`ROLLBACK TO SAVEPOINT take_slot`;
        return null;
      }
    },
    async release(slot, exceptAppointmentId, now) {
      if (!slot.id) return false;
      const others = await db.appointment.count({ where: { id: { not: exceptAppointmentId }, ...liveOverlap(slot.doctorId, slot.startsAt, slot.endsAt) } });
      if (others > 0) return false;
      const freed = await db.slot.updateMany({ where: { id: slot.id, status: "BUSY" }, data: { status: "FREE" } });
      if (freed.count === 0) return false;
      // Recorded for the waitlist in the same transaction: the offer runs after the commit (domain/waitlist.ts), and
      // if a crash interrupts it, the hold sweep finds the record and makes it.
      await db.$executeRaw`
        INSERT INTO scheduling.pending_offers (slot_id, freed_at) VALUES (${slot.id}::uuid, ${now})
        ON CONFLICT (slot_id) DO UPDATE SET freed_at = EXCLUDED.freed_at`;
      return true;
    },
    async startingFrom(doctorId, from) {
      return (await db.slot.findMany({ where: { doctorId, startsAt: { gte: from } } })).map(toSlot);
    },
    async removeUnbooked(ids) {
      return (await db.slot.deleteMany({ where: { id: { in: [...ids] }, status: { not: "BUSY" } } })).count;
    },
    async switchStatus(ids, from, to) {
      return (await db.slot.updateMany({ where: { id: { in: [...ids] }, status: from }, data: { status: to } })).count;
    },
    async addMany(slots) {
      const created = await db.slot.createMany({ data: slots.map((s) => ({ id: randomUUID(), ...s })), skipDuplicates: true });
      return created.count;
    },
    async relabel(doctorId, from, labels) {
      await db.slot.updateMany({ where: { doctorId, startsAt: { gte: from } }, data: labels });
    },
  };
}
