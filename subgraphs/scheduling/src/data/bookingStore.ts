/**
 * Everything a booking transaction reads and writes, over one Prisma transaction. Row locks
 * (`FOR UPDATE`) serialise writers of one slot / one appointment; the exclusion constraint on
 * appointments is the last line against double booking.
 */
import { randomUUID } from "node:crypto";
import type { FieldCipher } from "@clinigraph/platform";
import type { Appointment, AppointmentStatus, Slot } from "../domain/types.js";
import { LIVE_STATUSES } from "../domain/types.js";
import { seal, toAppointment, toSlot } from "./mappers.js";
import { Prisma, type Tx } from "./prisma.js";

export interface ChangeRecord {
  action: string;
  actorId: string | null;
  actorRole: string | null;
  fromStatus: AppointmentStatus | null;
  toStatus: AppointmentStatus;
  fromStartsAt?: Date | null;
  toStartsAt?: Date | null;
  reason?: string | null;
}

/** Alternatives are looked for within this distance of the wanted time (keeps the search index-bound). */
const WINDOW = "14 days";

export class BookingStore {
  /** `cipher` seals the free text written (reasons) and opens what is read (ADR 3). */
  constructor(
    readonly tx: Tx,
    readonly cipher: FieldCipher,
  ) {}

  private appointment = (row: Prisma.AppointmentGetPayload<object>) => toAppointment(row, this.cipher);

  async lockSlot(slotId: string): Promise<Slot | null> {
    const rows = await this.tx.$queryRaw<{ id: string }[]>`SELECT id FROM scheduling.slots WHERE id = ${slotId}::uuid FOR UPDATE`;
    if (rows.length === 0) return null;
    const row = await this.tx.slot.findUnique({ where: { id: slotId } });
    return row ? toSlot(row) : null;
  }

  async lockAppointment(id: string): Promise<Appointment | null> {
    const rows = await this.tx.$queryRaw<{ id: string }[]>`SELECT id FROM scheduling.appointments WHERE id = ${id}::uuid FOR UPDATE`;
    if (rows.length === 0) return null;
    const row = await this.tx.appointment.findUnique({ where: { id } });
    return row ? this.appointment(row) : null;
  }

  /** Serialises one patient's bookings, so per-patient limits hold under concurrency. */
  async lockPatient(patientId: string): Promise<void> {
    await this.tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`patient:${patientId}`}, 0))`;
  }

  /** Every live appointment over this time, overbooked ones included: they hold the time as much as any. */
  async liveOverlapping(doctorId: string, startsAt: Date, endsAt: Date): Promise<Appointment[]> {
    const rows = await this.tx.appointment.findMany({
      where: { doctorId, status: { in: [...LIVE_STATUSES] }, startsAt: { lt: endsAt }, endsAt: { gt: startsAt } },
    });
    return rows.map(this.appointment);
  }

  async countLivePatientDoctor(patientId: string, doctorId: string, from: Date, to: Date, exceptId?: string): Promise<number> {
    return this.tx.appointment.count({
      where: { patientId, doctorId, status: { in: [...LIVE_STATUSES] }, startsAt: { gte: from, lt: to }, ...(exceptId ? { id: { not: exceptId } } : {}) },
    });
  }

  async insertAppointment(
    data: Omit<Appointment, "id" | "createdAt" | "updatedAt" | "needsAttention" | "feedbackRating" | "feedbackComment" | "feedbackAt">,
    now: Date,
  ) {
    const { reason, ...fields } = data;
    const row = await this.tx.appointment.create({
      data: { id: randomUUID(), ...fields, reasonEnc: seal(this.cipher, reason), createdAt: now, updatedAt: now },
    });
    return this.appointment(row);
  }

  /** Compare-and-set: moves the appointment only if it is still in one of `from`. */
  async transition(id: string, from: readonly AppointmentStatus[], data: Prisma.AppointmentUpdateManyMutationInput, now: Date): Promise<Appointment | null> {
    const result = await this.tx.appointment.updateMany({ where: { id, status: { in: [...from] } }, data: { ...data, updatedAt: now } });
    if (result.count !== 1) return null;
    return this.appointment((await this.tx.appointment.findUnique({ where: { id } }))!);
  }

  /**
   * A live appointment on its slot, the slot BUSY — or null when the exclusion constraint says another live
   * appointment of the doctor overlaps that time (the insert is rolled back to a savepoint; the transaction
   * goes on). The booking and the waitlist offer both take a slot this way.
   */
  async takeSlot(data: Parameters<BookingStore["insertAppointment"]>[0] & { slotId: string }, now: Date): Promise<Appointment | null> {
    await this.tx.$executeRaw`SAVEPOINT take_slot`;
    try {
      const appointment = await this.insertAppointment(data, now);
      await this.setSlotStatus(data.slotId, "BUSY");
      return appointment;
    } catch (err) {
      if (!isExclusionViolation(err)) throw err;
      await this.tx.$executeRaw`ROLLBACK TO SAVEPOINT take_slot`;
      return null;
    }
  }

  async setSlotStatus(slotId: string | null, status: Slot["status"]): Promise<void> {
    if (slotId) await this.tx.slot.update({ where: { id: slotId }, data: { status } });
  }

  /**
   * Frees the slot unless another live appointment still covers it (an overbooking, say). A freed slot is
   * also recorded for the waitlist (pending_offers) in the same transaction: the offer runs after the commit
   * (domain/waitlist.ts), and if a crash interrupts it, the hold sweep finds the record and makes it.
   * Returns whether the slot was freed.
   */
  async releaseSlot(slot: { id: string | null; doctorId: string; startsAt: Date; endsAt: Date }, exceptAppointmentId: string, now: Date): Promise<boolean> {
    if (!slot.id) return false;
    const others = await this.tx.appointment.count({
      where: {
        id: { not: exceptAppointmentId },
        doctorId: slot.doctorId,
        status: { in: [...LIVE_STATUSES] },
        startsAt: { lt: slot.endsAt },
        endsAt: { gt: slot.startsAt },
      },
    });
    if (others > 0) return false;
    const freed = await this.tx.slot.updateMany({ where: { id: slot.id, status: "BUSY" }, data: { status: "FREE" } });
    if (freed.count === 0) return false;
    await this.tx.$executeRaw`
      INSERT INTO scheduling.pending_offers (slot_id, freed_at) VALUES (${slot.id}::uuid, ${now})
      ON CONFLICT (slot_id) DO UPDATE SET freed_at = EXCLUDED.freed_at`;
    return true;
  }

  /** The appointment's status changes in order (when its hold began: domain/holds.ts). */
  async statusChanges(appointmentId: string): Promise<{ at: Date; fromStatus: AppointmentStatus | null; toStatus: AppointmentStatus }[]> {
    return this.tx.appointmentChange.findMany({
      where: { appointmentId },
      orderBy: { seq: "asc" },
      select: { at: true, fromStatus: true, toStatus: true },
    });
  }

  /** History is listed by insertion order (`seq`): several changes may share one instant. */
  async recordChange(appointmentId: string, change: ChangeRecord, at: Date): Promise<void> {
    await this.tx.appointmentChange.create({
      data: {
        id: randomUUID(),
        appointmentId,
        at,
        actorId: change.actorId,
        actorRole: change.actorRole,
        action: change.action,
        fromStatus: change.fromStatus,
        toStatus: change.toStatus,
        fromStartsAt: change.fromStartsAt ?? null,
        toStartsAt: change.toStartsAt ?? null,
        reasonEnc: seal(this.cipher, change.reason),
      },
    });
  }

  /**
   * Ranked alternatives, read in the same transaction as the failed attempt: the same doctor's free
   * slots nearest in time to the wanted one, then free slots of other doctors offering the service
   * (or of the same specialty when no service was named), soonest first.
   */
  async alternatives(wanted: Slot, serviceId: string | null, earliest: Date, limit: number): Promise<Slot[]> {
    const sameDoctor = await this.tx.$queryRaw<{ id: string }[]>`
      SELECT id FROM scheduling.slots
      WHERE doctor_id = ${wanted.doctorId}::uuid AND status = 'FREE' AND starts_at >= ${earliest} AND id <> ${wanted.id}::uuid
        AND starts_at BETWEEN ${wanted.startsAt}::timestamptz - ${WINDOW}::interval AND ${wanted.startsAt}::timestamptz + ${WINDOW}::interval
      ORDER BY abs(extract(epoch FROM starts_at - ${wanted.startsAt}::timestamptz)), starts_at
      LIMIT ${limit}`;
    const otherDoctors = await this.tx.$queryRaw<{ id: string }[]>`
      SELECT s.id FROM scheduling.slots s
      JOIN scheduling.doctor_profiles p ON p.doctor_id = s.doctor_id
      WHERE s.status = 'FREE' AND s.doctor_id <> ${wanted.doctorId}::uuid AND s.starts_at >= ${earliest}
        AND s.starts_at BETWEEN ${wanted.startsAt}::timestamptz - ${WINDOW}::interval AND ${wanted.startsAt}::timestamptz + ${WINDOW}::interval
        AND ${serviceId ? Prisma.sql`${serviceId}::uuid = ANY (p.service_ids)` : Prisma.sql`p.specialty_code = ${wanted.specialtyCode}`}
      ORDER BY abs(extract(epoch FROM s.starts_at - ${wanted.startsAt}::timestamptz)), s.starts_at
      LIMIT ${limit}`;
    const ids = [...sameDoctor, ...otherDoctors].map((r) => r.id);
    const rows = await this.tx.slot.findMany({ where: { id: { in: ids } } });
    const byId = new Map(rows.map((r) => [r.id, toSlot(r)]));
    return ids.map((id) => byId.get(id)!).filter(Boolean);
  }
}

export const isExclusionViolation = (err: unknown) =>
  (err instanceof Prisma.PrismaClientKnownRequestError || err instanceof Error) &&
  /no_double_booking|23P01|exclusion constraint/i.test(
    `${(err as { code?: string }).code ?? ""} ${err.message} ${JSON.stringify((err as { meta?: unknown }).meta ?? {})}`,
  );
