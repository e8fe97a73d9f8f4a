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
import { appointmentPayload } from "./appointmentEvents.js";
import type { Deps } from "./deps.js";
import { holdExpiry } from "./holds.js";
import { optionalId, optionalText, requireId } from "./ids.js";
import { assertSlotTakeable, slotUnavailable, unavailable } from "./occupy.js";
import type { TxRepositories } from "./ports.js";
import { booked, SlotUnavailableSignal, type BookingResult } from "./results.js";
import { refuseRetiredService } from "./serviceStatus.js";
import type { Actor, Appointment, DoctorBookingProfile, SchedulingRules, Slot } from "./types.js";

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
export async function assertPatientExists(deps: Pick<Deps, "patients">, actor: Actor, patientId: string, field: string, requestId?: string): Promise<void> {
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

export async function loadBookingProfile(tx: Pick<TxRepositories, "profiles">, doctorId: string): Promise<DoctorBookingProfile> {
  const profile = await tx.profiles.bookingProfile(doctorId);
  if (!profile) throw notFound("Unknown doctor");
  return profile;
}

export async function requestAppointment(deps: Deps, actor: Actor, input: RequestAppointmentInput, requestId?: string): Promise<BookingResult> {
  const slotId = requireId(input.slotId, "input.slotId");
  const serviceId = optionalId(input.serviceId, "input.serviceId");
  const reason = optionalText(input.reason, "input.reason", 1000);
  const patientId = bookingPatient(actor, input.patientId);
  await refuseRetiredService(deps, serviceId, "input.serviceId");
  await assertPatientExists(deps, actor, patientId, "input.patientId", requestId);
  const now = deps.clock();
  try {
    return await deps.unitOfWork.run(async (tx) => {
      await tx.locks.patient(patientId);
      const slot = await tx.slots.lock(slotId);
      if (!slot) throw notFound("Unknown slot");
      const profile = await loadBookingProfile(tx, slot.doctorId);
      await assertSlotTakeable(tx, { slot, profile, patientId, serviceId }, deps.rules, now);
      const appointment = await insertLive(
        tx,
        { patientId, doctorId: slot.doctorId, serviceId, slot, reason, autoApprove: profile.autoApprove },
        deps.rules,
        now,
      );
      await tx.history.record(
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
      await tx.outbox.append("AppointmentRequested", appointmentPayload(appointment, actor.userId), now);
      if (appointment.status === "BOOKED") await tx.outbox.append("AppointmentBooked", appointmentPayload(appointment, actor.userId), now);
      return booked(appointment);
    });
  } catch (err) {
    if (err instanceof SlotUnavailableSignal) return slotUnavailable(deps, err, now);
    throw err;
  }
}

/** Inserts a live appointment on the (locked) slot and marks the slot BUSY. */
export async function insertLive(
  tx: TxRepositories,
  args: { patientId: string; doctorId: string; serviceId: string | null; slot: Slot; reason: string | null; autoApprove: boolean },
  rules: SchedulingRules,
  now: Date,
): Promise<Appointment> {
  const appointment = await tx.slots.take(
    {
      patientId: args.patientId,
      doctorId: args.doctorId,
      serviceId: args.serviceId,
      slotId: args.slot.id,
      startsAt: args.slot.startsAt,
      endsAt: args.slot.endsAt,
      status: args.autoApprove ? "BOOKED" : "PENDING",
      reason: args.reason,
      holdExpiresAt: args.autoApprove ? null : holdExpiry(now, args.slot.startsAt, rules.holdMinutes),
      overbooked: false,
    },
    now,
  );
  return appointment ?? unavailable(args.slot, args.serviceId, "SLOT_TAKEN", "This time overlaps another appointment of the doctor");
}
