/**
 * The shared core of requesting and rescheduling: may this slot be taken now, by this patient?
 * Runs inside the booking transaction, after the slot row is locked.
 */
import { badInput, conflict } from "@clinigraph/platform";
import { appointmentPayload } from "./appointmentEvents.js";
import { localDayRange } from "./localDay.js";
import type { Deps } from "./deps.js";
import type { TxRepositories } from "./ports.js";
import { SlotUnavailableSignal, type SlotUnavailable, type SlotUnavailableCode } from "./results.js";
import type { DoctorBookingProfile, SchedulingRules, Slot } from "./types.js";

export type { DoctorBookingProfile } from "./types.js";

/** Ends the booking transaction (rolled back): the slot cannot be taken. `slotUnavailable` makes the answer. */
export function unavailable(slot: Slot, serviceId: string | null, code: SlotUnavailableCode, message: string): never {
  throw new SlotUnavailableSignal(code, message, { slot, serviceId });
}

/**
 * The SlotUnavailable answer to a rolled-back booking: its ranked alternatives are read after the transaction,
 * outside the slot's lock, from the slot indexes (two short index scans per kind, whatever the number of slots).
 */
export async function slotUnavailable(deps: Pick<Deps, "slots" | "rules">, signal: SlotUnavailableSignal, now: Date): Promise<SlotUnavailable> {
  const earliest = new Date(now.getTime() + deps.rules.minNoticeMinutes * 60_000);
  const { slot, serviceId } = signal.wanted;
  const alternatives = await deps.slots.alternatives(slot, serviceId, earliest, deps.rules.alternativesLimit);
  return { kind: "SlotUnavailable", code: signal.code, message: signal.message, alternatives };
}

/** Expires a PENDING request whose hold ran out, as the system (history and event); the appointment, or null if it moved meanwhile. */
export async function expireHold(tx: TxRepositories, id: string, now: Date) {
  const done = await tx.appointments.transition(id, ["PENDING"], { status: "EXPIRED", holdExpiresAt: null }, now);
  if (!done) return null;
  await tx.history.record(
    id,
    { action: "EXPIRE", actorId: null, actorRole: null, fromStatus: "PENDING", toStatus: "EXPIRED", reason: "The doctor did not answer in time" },
    now,
  );
  await tx.outbox.append("AppointmentExpired", appointmentPayload(done, null), now);
  return done;
}

/**
 * Checks the slot can be taken: bookable, far enough ahead, not held by someone else (an expired hold
 * is expired here and now), the service is offered, and the patient's per-day limit with this doctor.
 */
export async function assertSlotTakeable(
  tx: TxRepositories,
  args: { slot: Slot; profile: DoctorBookingProfile; patientId: string; serviceId: string | null; exceptAppointmentId?: string },
  rules: SchedulingRules,
  now: Date,
): Promise<void> {
  const { slot, profile, patientId, serviceId } = args;
  if (!profile.active) unavailable(slot, serviceId, "DOCTOR_UNAVAILABLE", "This doctor no longer takes appointments");
  if (serviceId && !profile.serviceIds.includes(serviceId)) throw badInput("This doctor does not offer this service", "input.serviceId");
  const earliest = new Date(now.getTime() + rules.minNoticeMinutes * 60_000);
  if (slot.startsAt.getTime() < earliest.getTime()) {
    unavailable(slot, serviceId, "TOO_SOON", `This time is too soon: book at least ${rules.minNoticeMinutes} minutes ahead`);
  }
  if (slot.status === "BLOCKED") unavailable(slot, serviceId, "DOCTOR_UNAVAILABLE", "The doctor is not available at this time");
  if (slot.status === "BUSY") {
    const holders = await tx.appointments.liveOverlapping(slot.doctorId, slot.startsAt, slot.endsAt);
    const stillHeld = holders.filter((a) => a.id !== args.exceptAppointmentId && !(a.status === "PENDING" && a.holdExpiresAt && a.holdExpiresAt <= now));
    if (stillHeld.length > 0) unavailable(slot, serviceId, "SLOT_TAKEN", "This time was just taken");
    for (const expired of holders.filter((a) => a.status === "PENDING" && a.holdExpiresAt && a.holdExpiresAt <= now)) await expireHold(tx, expired.id, now);
  }
  const day = localDayRange(slot.startsAt, profile.timezone);
  const sameDay = await tx.appointments.countLivePatientDoctor(patientId, slot.doctorId, day.from, day.to, args.exceptAppointmentId);
  if (sameDay >= rules.maxPerPatientDoctorDay) {
    throw conflict(
      `You already have ${sameDay === 1 ? "an appointment" : `${sameDay} appointments`} with this doctor that day`,
      "BOOKING_LIMIT_REACHED",
      "input.slotId",
    );
  }
}
