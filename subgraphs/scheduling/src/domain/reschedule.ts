/**
 * rescheduleAppointment: move a live appointment to another free slot atomically — the new slot is
 * taken and the old one freed in one transaction, or nothing changes (SlotUnavailable with
 * alternatives). Moving to another doctor follows that doctor's approval mode. A PENDING request keeps
 * the hold deadline of its original request (domain/holds.ts): moving it does not buy the doctor more
 * time to answer, nor the patient a longer hold. The freed slot is offered to the waitlist once the move
 * has committed (domain/waitlist.ts).
 */
import { conflict, notFound } from "@clinigraph/platform";
import { appointmentPayload } from "./appointmentEvents.js";
import type { Deps } from "./deps.js";
import { holdExpiry, pendingSince } from "./holds.js";
import { requireId } from "./ids.js";
import { assertSlotTakeable, slotUnavailable, unavailable } from "./occupy.js";
import { loadBookingProfile } from "./requestAppointment.js";
import { refuseRetiredService } from "./serviceStatus.js";
import { booked, SlotUnavailableSignal, type BookingResult } from "./results.js";
import { lockForAction } from "./transitions.js";
import type { Actor } from "./types.js";
import { offerFreedSlots } from "./waitlist.js";

export async function rescheduleAppointment(deps: Deps, actor: Actor, rawId: string, rawSlotId: string): Promise<BookingResult> {
  const id = requireId(rawId, "id");
  const slotId = requireId(rawSlotId, "slotId");
  const now = deps.clock();
  let moved: { result: BookingResult; freed: string | null };
  try {
    moved = await deps.unitOfWork.run(async (tx) => {
      const before = await lockForAction(tx, actor, id, "RESCHEDULE", now);
      if (before.slotId === slotId) throw conflict("The appointment is already at this time", "SAME_SLOT", "slotId");
      // The appointment's service, retired since it was booked, is not booked at another time.
      await refuseRetiredService(deps, before.serviceId);
      await tx.locks.patient(before.patientId);
      const slot = await tx.slots.lock(slotId);
      if (!slot) throw notFound("Unknown slot");
      const profile = await loadBookingProfile(tx, slot.doctorId);
      await assertSlotTakeable(tx, { slot, profile, patientId: before.patientId, serviceId: before.serviceId, exceptAppointmentId: id }, deps.rules, now);

      const sameDoctor = slot.doctorId === before.doctorId;
      const status = sameDoctor ? before.status : profile.autoApprove ? "BOOKED" : "PENDING";
      // A request already PENDING keeps its original deadline; a BOOKED appointment moved to a doctor who
      // approves by hand becomes a new request, held from now.
      const requestedAt = before.status === "PENDING" ? pendingSince(await tx.history.statusChanges(id), before.createdAt) : now;
      const holdExpiresAt = status === "PENDING" ? holdExpiry(requestedAt, slot.startsAt, deps.rules.holdMinutes) : null;
      if (holdExpiresAt && holdExpiresAt <= now) throw conflict("This request has expired", "HOLD_EXPIRED");
      const move = await tx.appointments.move(
        id,
        [before.status],
        { status, holdExpiresAt, doctorId: slot.doctorId, slotId: slot.id, startsAt: slot.startsAt, endsAt: slot.endsAt },
        now,
      );
      if (move.kind === "OVERLAP") return unavailable(slot, before.serviceId, "SLOT_TAKEN", "This time overlaps another appointment of the doctor");
      if (move.kind === "CHANGED") throw conflict("The appointment changed meanwhile; reload it", "CHANGED_MEANWHILE");
      const after = move.appointment;
      await tx.slots.setStatus(slot.id, "BUSY");
      if (before.slotId) {
        await tx.slots.release({ id: before.slotId, doctorId: before.doctorId, startsAt: before.startsAt, endsAt: before.endsAt }, id, now);
      }
      await tx.history.record(
        id,
        {
          action: "RESCHEDULE",
          actorId: actor.userId,
          actorRole: actor.role,
          fromStatus: before.status,
          toStatus: after.status,
          fromStartsAt: before.startsAt,
          toStartsAt: after.startsAt,
        },
        now,
      );
      await tx.outbox.append("AppointmentRescheduled", appointmentPayload(after, actor.userId, { previousStartsAt: before.startsAt.toISOString() }), now);
      return { result: booked(after), freed: before.slotId };
    });
  } catch (err) {
    if (err instanceof SlotUnavailableSignal) return slotUnavailable(deps, err, now);
    throw err;
  }
  if (moved.freed) await offerFreedSlots(deps, [moved.freed]);
  return moved.result;
}
