/**
 * Appointments over one Prisma client or transaction. Row locks (`FOR UPDATE`) serialise writers of one
 * appointment; the exclusion constraint is the last line against double booking.
 */
import { randomUUID } from "node:crypto";
import { isUuid } from "@clinigraph/platform";
import type { AppointmentRepository } from "../domain/ports.js";
import { LIVE_STATUSES, type Appointment, type NewAppointment } from "../domain/types.js";
import { isExclusionViolation } from "./exclusion.js";
import { seal, toAppointment, type AppointmentRow, type CipherSource } from "./mappers.js";
import type { Prisma, Tx } from "./prisma.js";

/** Inserts an appointment (its reason sealed). Shared with the slot repository, which takes a slot this way. */
export async function insertAppointment(db: Tx, cipher: CipherSource, data: NewAppointment, now: Date): Promise<Appointment> {
  const { reason, ...fields } = data;
  const row = await db.appointment.create({
    data: { id: randomUUID(), ...fields, reasonEnc: seal(cipher(), reason), createdAt: now, updatedAt: now },
  });
  return toAppointment(row, cipher());
}

/** Live appointments of the doctor over [startsAt, endsAt). */
export const liveOverlap = (doctorId: string, startsAt: Date, endsAt: Date): Prisma.AppointmentWhereInput => ({
  doctorId,
  status: { in: [...LIVE_STATUSES] },
  startsAt: { lt: endsAt },
  endsAt: { gt: startsAt },
});

export function createAppointmentRepository(db: Tx, cipher: CipherSource): AppointmentRepository {
  const map = (row: AppointmentRow) => toAppointment(row, cipher());
  const transition: AppointmentRepository["transition"] = async (id, from, changes, now) => {
    const result = await db.appointment.updateMany({ where: { id, status: { in: [...from] } }, data: { ...changes, updatedAt: now } });
    if (result.count !== 1) return null;
    return map((await db.appointment.findUnique({ where: { id } }))!);
  };
  return {
    async lock(id) {
      const rows = await db.$queryRaw<{ id: string }[]>`SELECT id FROM scheduling.appointments WHERE id = ${id}::uuid FOR UPDATE`;
      if (rows.length === 0) return null;
      const row = await db.appointment.findUnique({ where: { id } });
      return row ? map(row) : null;
    },
    async findByIds(ids) {
      const rows = await db.appointment.findMany({ where: { id: { in: ids.filter(isUuid) } } });
      return rows.map(map);
    },
    async listOwn(scope, { status, after, take }) {
      const where: Prisma.AppointmentWhereInput = { ...scope };
      if (status) where.status = status;
      if (after) where.OR = [{ startsAt: { gt: after.startsAt } }, { startsAt: after.startsAt, id: { gt: after.id } }];
      const rows = await db.appointment.findMany({ where, orderBy: [{ startsAt: "asc" }, { id: "asc" }], take });
      return rows.map(map);
    },
    async calendar(doctorId, from, to, take) {
      const rows = await db.appointment.findMany({
        where: { ...(doctorId ? { doctorId } : {}), startsAt: { lt: to }, endsAt: { gt: from } },
        orderBy: [{ startsAt: "asc" }, { id: "asc" }],
        take,
      });
      return rows.map(map);
    },
    insert: (data, now) => insertAppointment(db, cipher, data, now),
    transition,
    async move(id, from, changes, now) {
      await db.$executeRaw`SAVEPOINT move_slot`;
      try {
        const appointment = await transition(id, from, changes, now);
        return appointment ? { kind: "MOVED", appointment } : { kind: "CHANGED" };
      } catch (err) {
        if (!isExclusionViolation(err)) throw err;
        await db.$executeRaw`ROLLBACK TO SAVEPOINT move_slot`;
        return { kind: "OVERLAP" };
      }
    },
    async recordFeedback(id, { rating, comment }, now) {
      const result = await db.appointment.updateMany({
        where: { id, status: "FULFILLED", feedbackAt: null },
        data: { feedbackRating: rating, feedbackCommentEnc: seal(cipher(), comment), feedbackAt: now, updatedAt: now },
      });
      return result.count === 1;
    },
    async liveOverlapping(doctorId, startsAt, endsAt) {
      return (await db.appointment.findMany({ where: liveOverlap(doctorId, startsAt, endsAt) })).map(map);
    },
    countLivePatientDoctor(patientId, doctorId, from, to, exceptId) {
      return db.appointment.count({
        where: { patientId, doctorId, status: { in: [...LIVE_STATUSES] }, startsAt: { gte: from, lt: to }, ...(exceptId ? { id: { not: exceptId } } : {}) },
      });
    },
    async dueHolds(now, take) {
      const due = await db.appointment.findMany({
        where: { status: "PENDING", holdExpiresAt: { lte: now } },
        select: { id: true },
        orderBy: { holdExpiresAt: "asc" },
        take,
      });
      return due.map((a) => a.id);
    },
    async flagNeedsAttention(doctorId, startsAt, endsAt, now) {
      const flagged = await db.appointment.updateMany({
        where: { ...liveOverlap(doctorId, startsAt, endsAt), needsAttention: false },
        data: { needsAttention: true, updatedAt: now },
      });
      return flagged.count;
    },
    async patientsOfDoctorUser(doctorUserId, patientIds) {
      const rows = await db.$queryRaw<{ patient_id: string }[]>`
        SELECT DISTINCT a.patient_id::text AS patient_id
        FROM scheduling.appointments a
        JOIN scheduling.doctor_profiles p ON p.doctor_id = a.doctor_id
        WHERE p.user_id = ${doctorUserId}::uuid AND a.patient_id = ANY (${patientIds}::uuid[])`;
      return rows.map((row) => row.patient_id);
    },
  };
}
