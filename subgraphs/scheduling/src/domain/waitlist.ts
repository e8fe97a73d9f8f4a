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
import { BookingStore } from "../data/bookingStore.js";
import { inTransaction } from "../data/transaction.js";
import { appointmentPayload, recordEvent } from "../events/outbox.js";
import type { SchedulingDeps } from "./deps.js";
import { holdExpiry } from "./holds.js";
import { optionalId } from "./ids.js";
import { localDayRange } from "./localDay.js";
import { loadBookingProfile } from "./requestAppointment.js";
import type { Actor, Appointment, Slot } from "./types.js";

export interface WaitlistInput {
  doctorId?: string | null;
  serviceId?: string | null;
  from: Date;
  to: Date;
}

export async function joinWaitlist(deps: SchedulingDeps, actor: Actor, input: WaitlistInput) {
  if (actor.role !== "PATIENT") throw forbidden("Patients join the waitlist for themselves");
  const doctorId = optionalId(input.doctorId, "input.doctorId");
  const serviceId = optionalId(input.serviceId, "input.serviceId");
  if (!doctorId && !serviceId) throw badInput("Name a doctor or a service", "input.doctorId");
  const now = deps.clock();
  if (input.to <= input.from) throw badInput("`to` must be after `from`", "input.to");
  if (input.to <= now) throw badInput("The range is in the past", "input.to");
  if (input.to.getTime() - input.from.getTime() > 92 * 86_400_000) throw badInput("The range may span at most 92 days", "input.to");
  if (doctorId && !(await deps.prisma.doctorProfile.findUnique({ where: { doctorId } }))) throw badInput("Unknown doctor", "input.doctorId");
  return deps.prisma.waitlistEntry.create({
    data: { id: randomUUID(), patientId: actor.userId, doctorId, serviceId, from: input.from, to: input.to, status: "WAITING", createdAt: now },
  });
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
export async function offerFreedSlots(deps: SchedulingDeps, slotIds: readonly string[]): Promise<void> {
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
export async function offerFreedSlot(deps: SchedulingDeps, slotId: string): Promise<Appointment | null> {
  const pending = await deps.prisma.pendingOffer.findUnique({ where: { slotId } });
  const offered = await offerToWaitlist(deps, slotId);
  if (pending) await deps.prisma.pendingOffer.deleteMany({ where: { slotId, freedAt: pending.freedAt } });
  return offered;
}

/**
 * The hold sweep's second half: offers the slots whose offer a crash (or an error) interrupted — pending-offer
 * records older than `olderThanMs`, oldest first. Safe on several instances at once: each offer is a booking
 * under the patient's and the slot's locks, and a slot already taken is simply not offered again.
 */
export async function offerPendingSlots(deps: SchedulingDeps, options: { olderThanMs?: number; limit?: number } = {}): Promise<number> {
  const before = new Date(deps.clock().getTime() - (options.olderThanMs ?? 60_000));
  const stale = await deps.prisma.pendingOffer.findMany({ where: { freedAt: { lt: before } }, orderBy: { freedAt: "asc" }, take: options.limit ?? 100 });
  for (const { slotId } of stale) await offerFreedSlots(deps, [slotId]);
  return stale.length;
}

async function offerToWaitlist(deps: SchedulingDeps, slotId: string): Promise<Appointment | null> {
  const tried: string[] = [];
  while (tried.length < MAX_CANDIDATES) {
    const now = deps.clock();
    const slotRow = await deps.prisma.slot.findUnique({ where: { id: slotId } });
    if (!slotRow || !offerable(slotRow, deps, now)) return null;
    const profile = await deps.prisma.doctorProfile.findUnique({ where: { doctorId: slotRow.doctorId } });
    if (!profile) return null;
    // Read without locks: each candidate is re-checked under its locks below.
    const candidates = await deps.prisma.$queryRaw<{ id: string; patient_id: string }[]>`
      SELECT id, patient_id FROM scheduling.waitlist_entries
      WHERE status = 'WAITING' AND from_at <= ${slotRow.startsAt} AND to_at > ${slotRow.startsAt}
        AND (doctor_id IS NULL OR doctor_id = ${slotRow.doctorId}::uuid)
        AND (service_id IS NULL OR service_id = ANY (${profile.serviceIds}::uuid[]))
        AND NOT (id = ANY (${tried}::uuid[]))
      ORDER BY created_at, id
      LIMIT 20`;
    if (candidates.length === 0) return null;
    for (const entry of candidates) {
      tried.push(entry.id);
      const outcome = await inTransaction(deps.prisma, (tx) => offerTo(new BookingStore(tx, deps.cipher), slotId, entry, deps));
      if (outcome.kind === "OFFERED") return outcome.appointment;
      if (outcome.kind === "SLOT_GONE") return null;
    }
  }
  return null;
}

const offerable = (slot: Pick<Slot, "status" | "startsAt">, deps: SchedulingDeps, now: Date) =>
  slot.status === "FREE" && slot.startsAt.getTime() >= now.getTime() + deps.rules.minNoticeMinutes * 60_000;

/** One candidate, in one transaction: patient lock → slot lock → entry lock → the booking's checks → the offer. */
async function offerTo(store: BookingStore, slotId: string, entry: { id: string; patient_id: string }, deps: SchedulingDeps): Promise<OfferOutcome> {
  const { tx } = store;
  const now = deps.clock();
  await store.lockPatient(entry.patient_id);
  const slot = await store.lockSlot(slotId);
  if (!slot || !offerable(slot, deps, now)) return { kind: "SLOT_GONE" };
  const profile = await loadBookingProfile(tx, slot.doctorId);
  const [waiting] = await tx.$queryRaw<{ id: string; service_id: string | null }[]>`
    SELECT id, service_id FROM scheduling.waitlist_entries
    WHERE id = ${entry.id}::uuid AND status = 'WAITING' AND from_at <= ${slot.startsAt} AND to_at > ${slot.startsAt}
      AND (doctor_id IS NULL OR doctor_id = ${slot.doctorId}::uuid)
      AND (service_id IS NULL OR service_id = ANY (${profile.serviceIds}::uuid[]))
    FOR UPDATE`;
  if (!waiting) return { kind: "NEXT" };
  // The booking's per-day rule, counted under the patient's lock: their own bookings cannot slip past it.
  const day = localDayRange(slot.startsAt, profile.timezone);
  if ((await store.countLivePatientDoctor(entry.patient_id, slot.doctorId, day.from, day.to)) >= deps.rules.maxPerPatientDoctorDay) return { kind: "NEXT" };
  const appointment = await store.takeSlot(
    {
      patientId: entry.patient_id,
      doctorId: slot.doctorId,
      serviceId: waiting.service_id,
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
  await tx.waitlistEntry.update({ where: { id: waiting.id }, data: { status: "OFFERED", offeredAppointmentId: appointment.id } });
  await store.recordChange(
    appointment.id,
    { action: "WAITLIST_OFFER", actorId: null, actorRole: null, fromStatus: null, toStatus: appointment.status, toStartsAt: slot.startsAt },
    now,
  );
  await recordEvent(tx, "AppointmentRequested", appointmentPayload(appointment, null), now);
  if (appointment.status === "BOOKED") await recordEvent(tx, "AppointmentBooked", appointmentPayload(appointment, null), now);
  return { kind: "OFFERED", appointment };
}
