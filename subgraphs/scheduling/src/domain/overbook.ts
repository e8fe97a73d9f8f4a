/**
 * overbookAppointment: ADMIN only, with a reason, audited (history + outbox). Books a patient onto a
 * slot even when it is taken; the overbooked appointment is exempt from the exclusion constraint. The
 * patient must be one accounts knows (requestAppointment.assertPatientExists).
 */
import { badInput, forbidden, notFound } from "@clinigraph/platform";
import { appointmentPayload } from "./appointmentEvents.js";
import type { Deps } from "./deps.js";
import { optionalId, optionalText, requireId } from "./ids.js";
import { assertPatientExists, loadBookingProfile } from "./requestAppointment.js";
import { refuseRetiredService } from "./serviceStatus.js";
import type { Actor, Appointment } from "./types.js";

export interface OverbookInput {
  slotId: string;
  patientId: string;
  serviceId?: string | null;
  reason: string;
}

export async function overbookAppointment(deps: Deps, actor: Actor, input: OverbookInput, requestId?: string): Promise<Appointment> {
  if (actor.role !== "ADMIN") throw forbidden("Only an administrator may overbook");
  const slotId = requireId(input.slotId, "input.slotId");
  const patientId = requireId(input.patientId, "input.patientId");
  const serviceId = optionalId(input.serviceId, "input.serviceId");
  const reason = optionalText(input.reason, "input.reason", 1000);
  if (!reason || reason.length < 5) throw badInput("Give the reason for overbooking (at least 5 characters)", "input.reason");
  await refuseRetiredService(deps, serviceId, "input.serviceId");
  await assertPatientExists(deps, actor, patientId, "input.patientId", requestId);
  const now = deps.clock();
  return deps.unitOfWork.run(async (tx) => {
    const slot = await tx.slots.lock(slotId);
    if (!slot) throw notFound("Unknown slot");
    if (slot.endsAt <= now) throw badInput("This time is over", "input.slotId");
    const profile = await loadBookingProfile(tx, slot.doctorId);
    if (!profile.active) throw badInput("This doctor no longer takes appointments", "input.slotId");
    if (serviceId && !profile.serviceIds.includes(serviceId)) throw badInput("This doctor does not offer this service", "input.serviceId");
    const appointment = await tx.appointments.insert(
      {
        patientId,
        doctorId: slot.doctorId,
        serviceId,
        slotId,
        startsAt: slot.startsAt,
        endsAt: slot.endsAt,
        status: "BOOKED",
        reason,
        holdExpiresAt: null,
        overbooked: true,
      },
      now,
    );
    if (slot.status === "FREE") await tx.slots.setStatus(slot.id, "BUSY");
    await tx.history.record(
      appointment.id,
      { action: "OVERBOOK", actorId: actor.userId, actorRole: actor.role, fromStatus: null, toStatus: "BOOKED", toStartsAt: slot.startsAt, reason },
      now,
    );
    await tx.outbox.append("AppointmentOverbooked", appointmentPayload(appointment, actor.userId), now);
    await tx.outbox.append("AppointmentBooked", appointmentPayload(appointment, actor.userId), now);
    return appointment;
  });
}
