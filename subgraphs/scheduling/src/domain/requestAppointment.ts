/**
 * requestAppointment: take a free slot. Auto-approving doctors book at once (BOOKED); otherwise the
 * request is a PENDING hold that expires after `holdMinutes` unless the doctor answers. One transaction:
 * patient lock → slot lock → checks → insert (exclusion constraint as the last line) → slot BUSY →
 * history → outbox. A slot that cannot be taken answers SlotUnavailable with alternatives from the
 * same transaction.
 */
import { badInput, forbidden, notFound } from "@clinigraph/platform";
import { BookingStore, isExclusionViolation } from "../data/bookingStore.js";
import { inTransaction } from "../data/transaction.js";
import type { Tx } from "../data/prisma.js";
import { appointmentPayload, recordEvent } from "../events/outbox.js";
import type { SchedulingDeps } from "./deps.js";
import { optionalId, optionalText, requireId } from "./ids.js";
import { assertSlotTakeable, unavailable, type DoctorBookingProfile } from "./occupy.js";
import { booked, SlotUnavailableSignal, type BookingResult } from "./results.js";
import type { Actor, Appointment } from "./types.js";

export interface RequestAppointmentInput {
  slotId: string;
  serviceId?: string | null;
  reason?: string | null;
  /** Staff booking for a patient (reception desk, phone); patients always book for themselves. */
  patientId?: string | null;
}

export function bookingPatient(actor: Actor, patientId: string | null | undefined): string {
  if (actor.role === "PATIENT") {
    if (patientId && patientId !== actor.userId) throw forbidden("Patients book for themselves");
    return actor.userId;
  }
  if (actor.role === "RECEPTIONIST" || actor.role === "ADMIN") {
    if (!patientId) throw badInput("Name the patient to book for", "input.patientId");
    return requireId(patientId, "input.patientId");
  }
  throw forbidden("Only patients and reception book appointments");
}

export async function loadBookingProfile(tx: Tx, doctorId: string): Promise<DoctorBookingProfile> {
  const profile = await tx.doctorProfile.findUnique({ where: { doctorId } });
  if (!profile) throw notFound("Unknown doctor");
  return { doctorId, timezone: profile.timezone, autoApprove: profile.autoApprove, serviceIds: profile.serviceIds };
}

export async function requestAppointment(deps: SchedulingDeps, actor: Actor, input: RequestAppointmentInput): Promise<BookingResult> {
  const slotId = requireId(input.slotId, "input.slotId");
  const serviceId = optionalId(input.serviceId, "input.serviceId");
  const reason = optionalText(input.reason, "input.reason", 1000);
  const patientId = bookingPatient(actor, input.patientId);
  const now = deps.clock();
  try {
    return await inTransaction(deps.prisma, async (tx) => {
      const store = new BookingStore(tx, deps.cipher);
      await store.lockPatient(patientId);
      const slot = await store.lockSlot(slotId);
      if (!slot) throw notFound("Unknown slot");
      const profile = await loadBookingProfile(tx, slot.doctorId);
      await assertSlotTakeable(store, { slot, profile, patientId, serviceId }, deps.rules, now);
      const appointment = await insertLive(store, { patientId, doctorId: slot.doctorId, serviceId, slot, reason, autoApprove: profile.autoApprove }, deps, now);
      await store.recordChange(
        appointment.id,
        {
          action: "REQUEST",
          actorId: actor.userId,
          actorRole: actor.role,
          fromStatus: null,
          toStatus: appointment.status,
          toStartsAt: appointment.startsAt,
          reason,
        },
        now,
      );
      await recordEvent(tx, "AppointmentRequested", appointmentPayload(appointment, actor.userId), now);
      if (appointment.status === "BOOKED") await recordEvent(tx, "AppointmentBooked", appointmentPayload(appointment, actor.userId), now);
      return booked(appointment);
    });
  } catch (err) {
    if (err instanceof SlotUnavailableSignal) return err.result;
    throw err;
  }
}

/** Inserts a live appointment on the (locked) slot and marks the slot BUSY. */
export async function insertLive(
  store: BookingStore,
  args: {
    patientId: string;
    doctorId: string;
    serviceId: string | null;
    slot: { id: string; startsAt: Date; endsAt: Date } & Parameters<typeof unavailable>[1];
    reason: string | null;
    autoApprove: boolean;
  },
  deps: SchedulingDeps,
  now: Date,
): Promise<Appointment> {
  const holdEnds = Math.min(now.getTime() + deps.rules.holdMinutes * 60_000, args.slot.startsAt.getTime());
  await store.tx.$executeRaw`SAVEPOINT take_slot`;
  try {
    const appointment = await store.insertAppointment(
      {
        patientId: args.patientId,
        doctorId: args.doctorId,
        serviceId: args.serviceId,
        slotId: args.slot.id,
        startsAt: args.slot.startsAt,
        endsAt: args.slot.endsAt,
        status: args.autoApprove ? "BOOKED" : "PENDING",
        reason: args.reason,
        holdExpiresAt: args.autoApprove ? null : new Date(holdEnds),
        overbooked: false,
      },
      now,
    );
    await store.setSlotStatus(args.slot.id, "BUSY");
    return appointment;
  } catch (err) {
    if (!isExclusionViolation(err)) throw err;
    await store.tx.$executeRaw`ROLLBACK TO SAVEPOINT take_slot`;
    return unavailable(store, args.slot, args.serviceId, "This time overlaps another appointment of the doctor", deps.rules, now);
  }
}
