/**
 * requestAppointment: take a free slot. Auto-approving doctors book at once (BOOKED); otherwise the
 * request is a PENDING hold that expires after `holdMinutes` unless the doctor answers. Staff booking for
 * a patient: accounts must know the id as a patient (asked before the transaction). One transaction:
 * patient lock → slot lock → checks → insert (exclusion constraint as the last line) → slot BUSY →
 * history → outbox. A slot that cannot be taken answers SlotUnavailable with alternatives from the
 * same transaction.
 */
import { randomUUID } from "node:crypto";
import { AccountsUnavailable, badInput, forbidden, notFound, serviceUnavailable } from "@clinigraph/platform";
import { BookingStore } from "../data/bookingStore.js";
import { inTransaction } from "../data/transaction.js";
import type { Tx } from "../data/prisma.js";
import { appointmentPayload, recordEvent } from "../events/outbox.js";
import type { SchedulingDeps } from "./deps.js";
import { holdExpiry } from "./holds.js";
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

/**
 * Staff name the patient they act for: accounts must know that id as a patient — not a made-up id, not a
 * staff user's. Both answer the same BAD_USER_INPUT on `field` (which ids are staff is not told this
 * way). Patients acting for themselves are not asked about. Accounts down → SERVICE_UNAVAILABLE.
 */
export async function assertPatientExists(deps: SchedulingDeps, actor: Actor, patientId: string, field: string, requestId?: string): Promise<void> {
  if (actor.role === "PATIENT" && actor.userId === patientId) return;
  let known: boolean;
  try {
    known = await deps.patients.exists({ userId: actor.userId, role: actor.role, requestId: requestId ?? randomUUID() }, patientId);
  } catch (err) {
    if (err instanceof AccountsUnavailable) throw serviceUnavailable("The patient directory is unavailable; try again shortly");
    throw err;
  }
  if (!known) throw badInput("No such patient", field);
}

export async function loadBookingProfile(tx: Tx, doctorId: string): Promise<DoctorBookingProfile> {
  const profile = await tx.doctorProfile.findUnique({ where: { doctorId } });
  if (!profile) throw notFound("Unknown doctor");
  return { doctorId, timezone: profile.timezone, autoApprove: profile.autoApprove, serviceIds: profile.serviceIds };
}

export async function requestAppointment(deps: SchedulingDeps, actor: Actor, input: RequestAppointmentInput, requestId?: string): Promise<BookingResult> {
  const slotId = requireId(input.slotId, "input.slotId");
  const serviceId = optionalId(input.serviceId, "input.serviceId");
  const reason = optionalText(input.reason, "input.reason", 1000);
  const patientId = bookingPatient(actor, input.patientId);
  await assertPatientExists(deps, actor, patientId, "input.patientId", requestId);
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
  const appointment = await store.takeSlot(
    {
      patientId: args.patientId,
      doctorId: args.doctorId,
      serviceId: args.serviceId,
      slotId: args.slot.id,
      startsAt: args.slot.startsAt,
      endsAt: args.slot.endsAt,
      status: args.autoApprove ? "BOOKED" : "PENDING",
      reason: args.reason,
      holdExpiresAt: args.autoApprove ? null : holdExpiry(now, args.slot.startsAt, deps.rules.holdMinutes),
      overbooked: false,
    },
    now,
  );
  return appointment ?? unavailable(store, args.slot, args.serviceId, "This time overlaps another appointment of the doctor", deps.rules, now);
}
