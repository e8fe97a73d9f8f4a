/**
 * Waitlist: a patient asks for the next freed slot of a doctor and/or service within a date range.
 * When a slot frees (cancel, reject, expiry, reschedule away), the first matching entry in line gets it
 * — booked at once for auto-approving doctors, else as a PENDING hold awaiting the doctor.
 *
 * The offer is a booking made for the waiting patient, and follows a booking's rules and lock order
 * (ADR 0006): right after the freeing transaction commits, one transaction per candidate takes the
 * patient's lock, then the slot's row lock, then the entry's, and counts the patient's live
 * appointments with the doctor that day. So an offer and the same patient's own booking serialise on
 * the patient's lock and the per-day limit (BOOKING_MAX_PER_PATIENT_DOCTOR_DAY) holds between them, and
 * no lock is ever waited for in the opposite order (no deadlock). A patient already at the limit that day
 * is passed over for this slot — the next in line gets it — and stays WAITING for other times in their
 * range: a clinic phoning its waiting list skips whoever is already seen that day, it does not strike
 * them off the list. If someone books the slot in the instant between the commit and the offer, they
 * keep it (the slot was free) and the entries keep waiting.
 */
import { randomUUID } from "node:crypto";
import { badInput, forbidden } from "@clinigraph/platform";
import { appointmentPayload } from "./appointmentEvents.js";
import type { Deps } from "./deps.js";
import { holdExpiry } from "./holds.js";
import { optionalId } from "./ids.js";
import { localDayRange } from "./localDay.js";
import type { TxRepositories } from "./ports.js";
import { loadBookingProfile } from "./requestAppointment.js";
import { refuseRetiredService } from "./serviceStatus.js";
import type { Actor, Appointment, Slot, WaitlistEntry } from "./types.js";

export interface WaitlistInput {
  doctorId?: string | null;
  serviceId?: string | null;
  from: Date;
  to: Date;
}

export async function joinWaitlist(deps: Deps, actor: Actor, input: WaitlistInput): Promise<WaitlistEntry> {
  if (actor.role !== "PATIENT") throw forbidden("Patients join the waitlist for themselves");
  const doctorId = optionalId(input.doctorId, "input.doctorId");
  const serviceId = optionalId(input.serviceId, "input.serviceId");
  if (!doctorId && !serviceId) throw badInput("Name a doctor or a service", "input.doctorId");
  await refuseRetiredService(deps, serviceId, "input.serviceId");
  const now = deps.clock();
  if (input.to <= input.from) throw badInput("`to` must be after `from`", "input.to");
  if (input.to <= now) throw badInput("The range is in the past", "input.to");
  if (input.to.getTime() - input.from.getTime() > 92 * 86_400_000) throw badInput("The range may span at most 92 days", "input.to");
  if (doctorId) {
    const profile = await deps.profiles.bookingProfile(doctorId);
    if (!profile) throw badInput("Unknown doctor", "input.doctorId");
    if (!profile.active) throw badInput("This doctor no longer takes appointments", "input.doctorId");
  }
  return deps.waitlist.create({
    id: randomUUID(),
    patientId: actor.userId,
    doctorId,
    serviceId,
    from: input.from,
    to: input.to,
    status: "WAITING",
    offeredAppointmentId: null,
    createdAt: now,
  });
}

/** The caller's waitlist entries, oldest first (patients only). */
export async function myWaitlist(deps: Deps, actor: Actor): Promise<WaitlistEntry[]> {
  if (actor.role !== "PATIENT") throw forbidden("The waitlist belongs to patients");
  return deps.waitlist.ofPatient(actor.userId);
}

/** How many waiting entries one freed slot is tried on before it is left free for anyone to book. */
const MAX_CANDIDATES = 100;

type OfferOutcome = { kind: "OFFERED"; appointment: Appointment } | { kind: "NEXT" } | { kind: "SLOT_GONE" };

/**
 * Offers each freed slot to the waitlist. Called AFTER the transaction that freed them committed (never
 * inside it: the offer takes the patient's lock first, as a booking does). The freeing change stands
 * whatever happens here: a failure is logged, and the slot's pending-offer record (written by the freeing
 * transaction) stays for `offerPendingSlots`, as it does when a crash interrupts the offer.
 */
export async function offerFreedSlots(deps: Deps, slotIds: readonly string[]): Promise<void> {
  for (const slotId of slotIds) {
    try {
      await offerFreedSlot(deps, slotId);
    } catch (err) {
      deps.logger?.warn({ err, slotId }, "waitlist offer failed; the slot stays free to book");
    }
  }
}

/**
 * Offers one free slot to the first waiting patient in line who may take it; the appointment made, or null.
 * Once the offer has run (made, or nobody could take it), the slot's pending-offer record is deleted — unless
 * the slot was freed again meanwhile (a newer record: its own offer follows).
 */
export async function offerFreedSlot(deps: Deps, slotId: string): Promise<Appointment | null> {
  const freedAt = await deps.pendingOffers.freedAt(slotId);
  const offered = await offerToWaitlist(deps, slotId);
  if (freedAt) await deps.pendingOffers.clear(slotId, freedAt);
  return offered;
}

/**
 * The hold sweep's second half: offers the slots whose offer a crash (or an error) interrupted — pending-offer
 * records older than `olderThanMs`, oldest first. Safe on several instances at once: each offer is a booking
 * under the patient's and the slot's locks, and a slot already taken is simply not offered again.
 */
export async function offerPendingSlots(deps: Deps, options: { olderThanMs?: number; limit?: number } = {}): Promise<number> {
  const before = new Date(deps.clock().getTime() - (options.olderThanMs ?? 60_000));
  const stale = await deps.pendingOffers.freedBefore(before, options.limit ?? 100);
  for (const slotId of stale) await offerFreedSlots(deps, [slotId]);
  return stale.length;
}

async function offerToWaitlist(deps: Deps, slotId: string): Promise<Appointment | null> {
  const tried: string[] = [];
  while (tried.length < MAX_CANDIDATES) {
    const now = deps.clock();
    const slot = await deps.slots.findById(slotId);
    if (!slot || !offerable(slot, deps, now)) return null;
    const profile = await deps.profiles.bookingProfile(slot.doctorId);
    if (!profile?.active) return null;
    // Read without locks: each candidate is re-checked under its locks below.
    const candidates = await deps.waitlist.candidates(slot, profile.serviceIds, tried, 20);
    if (candidates.length === 0) return null;
    for (const entry of candidates) {
      tried.push(entry.id);
      const outcome = await deps.unitOfWork.run((tx) => offerTo(tx, slotId, entry, deps));
      if (outcome.kind === "OFFERED") return outcome.appointment;
      if (outcome.kind === "SLOT_GONE") return null;
    }
  }
  return null;
}

const offerable = (slot: Pick<Slot, "status" | "startsAt">, deps: Pick<Deps, "rules">, now: Date) =>
  slot.status === "FREE" && slot.startsAt.getTime() >= now.getTime() + deps.rules.minNoticeMinutes * 60_000;

/** One candidate, in one transaction: patient lock → slot lock → entry lock → the booking's checks → the offer. */
async function offerTo(
  tx: TxRepositories,
  slotId: string,
  entry: { id: string; patientId: string },
  deps: Pick<Deps, "clock" | "rules">,
): Promise<OfferOutcome> {
  const now = deps.clock();
  await tx.locks.patient(entry.patientId);
  const slot = await tx.slots.lock(slotId);
  if (!slot || !offerable(slot, deps, now)) return { kind: "SLOT_GONE" };
  const profile = await loadBookingProfile(tx, slot.doctorId);
  if (!profile.active) return { kind: "SLOT_GONE" };
  const waiting = await tx.waitlist.lockMatching(entry.id, slot, profile.serviceIds);
  if (!waiting) return { kind: "NEXT" };
  // The booking's per-day rule, counted under the patient's lock: their own bookings cannot slip past it.
  const day = localDayRange(slot.startsAt, profile.timezone);
  if ((await tx.appointments.countLivePatientDoctor(entry.patientId, slot.doctorId, day.from, day.to)) >= deps.rules.maxPerPatientDoctorDay)
    return { kind: "NEXT" };
  const appointment = await tx.slots.take(
    {
      patientId: entry.patientId,
      doctorId: slot.doctorId,
      serviceId: waiting.serviceId,
      slotId: slot.id,
      startsAt: slot.startsAt,
      endsAt: slot.endsAt,
      status: profile.autoApprove ? "BOOKED" : "PENDING",
      reason: "From the waitlist",
      holdExpiresAt: profile.autoApprove ? null : holdExpiry(now, slot.startsAt, deps.rules.holdMinutes),
      overbooked: false,
    },
    now,
  );
  // Another appointment of the doctor covers this time after all: nobody can have it.
  if (!appointment) return { kind: "SLOT_GONE" };
  await tx.waitlist.markOffered(waiting.id, appointment.id);
  await tx.history.record(
    appointment.id,
    { action: "WAITLIST_OFFER", actorId: null, actorRole: null, fromStatus: null, toStatus: appointment.status, toStartsAt: slot.startsAt },
    now,
  );
  await tx.outbox.append("AppointmentRequested", appointmentPayload(appointment, null), now);
  if (appointment.status === "BOOKED") await tx.outbox.append("AppointmentBooked", appointmentPayload(appointment, null), now);
  return { kind: "OFFERED", appointment };
}
