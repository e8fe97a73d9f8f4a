/**
 * Waitlist: a patient asks for the next freed slot of a doctor and/or service within a date range.
 * When a slot frees (cancel, reject, expiry, reschedule away), the first matching entry in line gets it
 * — booked at once for auto-approving doctors, else as a PENDING hold awaiting the doctor — in the same
 * transaction that freed it. Entries that cannot take it (e.g. their daily limit) are skipped.
 */
import { randomUUID } from "node:crypto";
import { badInput, forbidden } from "@clinigraph/platform";
import type { BookingStore } from "../data/bookingStore.js";
import { toSlot } from "../data/mappers.js";
import { appointmentPayload, recordEvent } from "../events/outbox.js";
import type { SchedulingDeps } from "./deps.js";
import { optionalId } from "./ids.js";
import { localDayRange } from "./localDay.js";
import { loadBookingProfile } from "./requestAppointment.js";
import type { Actor } from "./types.js";
import { LIVE_STATUSES } from "./types.js";

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

export async function offerFreedSlot(store: BookingStore, slotId: string, deps: SchedulingDeps, now: Date): Promise<void> {
  const slotRow = await store.tx.slot.findUnique({ where: { id: slotId } });
  if (!slotRow || slotRow.status !== "FREE" || slotRow.startsAt.getTime() < now.getTime() + deps.rules.minNoticeMinutes * 60_000) return;
  const slot = toSlot(slotRow);
  const profile = await loadBookingProfile(store.tx, slot.doctorId);
  const candidates = await store.tx.$queryRaw<{ id: string; patient_id: string; service_id: string | null }[]>`
    SELECT id, patient_id, service_id FROM scheduling.waitlist_entries
    WHERE status = 'WAITING' AND from_at <= ${slot.startsAt} AND to_at > ${slot.startsAt}
      AND (doctor_id IS NULL OR doctor_id = ${slot.doctorId}::uuid)
      AND (service_id IS NULL OR service_id = ANY (${profile.serviceIds}::uuid[]))
    ORDER BY created_at, id
    LIMIT 20
    FOR UPDATE SKIP LOCKED`;
  for (const entry of candidates) {
    const day = localDayRange(slot.startsAt, profile.timezone);
    const sameDay = await store.tx.appointment.count({
      where: { patientId: entry.patient_id, doctorId: slot.doctorId, status: { in: [...LIVE_STATUSES] }, startsAt: { gte: day.from, lt: day.to } },
    });
    if (sameDay >= deps.rules.maxPerPatientDoctorDay) continue;
    const holdEnds = Math.min(now.getTime() + deps.rules.holdMinutes * 60_000, slot.startsAt.getTime());
    const appointment = await store.insertAppointment(
      {
        patientId: entry.patient_id,
        doctorId: slot.doctorId,
        serviceId: entry.service_id,
        slotId: slot.id,
        startsAt: slot.startsAt,
        endsAt: slot.endsAt,
        status: profile.autoApprove ? "BOOKED" : "PENDING",
        reason: "From the waitlist",
        holdExpiresAt: profile.autoApprove ? null : new Date(holdEnds),
        overbooked: false,
      },
      now,
    );
    await store.setSlotStatus(slot.id, "BUSY");
    await store.tx.waitlistEntry.update({ where: { id: entry.id }, data: { status: "OFFERED", offeredAppointmentId: appointment.id } });
    await store.recordChange(
      appointment.id,
      { action: "WAITLIST_OFFER", actorId: null, actorRole: null, fromStatus: null, toStatus: appointment.status, toStartsAt: slot.startsAt },
      now,
    );
    await recordEvent(store.tx, "AppointmentRequested", appointmentPayload(appointment, null), now);
    if (appointment.status === "BOOKED") await recordEvent(store.tx, "AppointmentBooked", appointmentPayload(appointment, null), now);
    return;
  }
}
