/**
 * rescheduleAppointment: move a live appointment to another free slot atomically — the new slot is
 * taken and the old one freed in one transaction, or nothing changes (SlotUnavailable with
 * alternatives). Moving to another doctor follows that doctor's approval mode. A PENDING request keeps
 * the hold deadline of its original request (domain/holds.ts): moving it does not buy the doctor more
 * time to answer, nor the patient a longer hold. The freed slot is offered to the waitlist once the move
 * has committed (domain/waitlist.ts).
 */
import { conflict, notFound } from "@clinigraph/platform";
import { BookingStore, isExclusionViolation } from "../data/bookingStore.js";
import { inTransaction } from "../data/transaction.js";
import { appointmentPayload, recordEvent } from "../events/outbox.js";
import type { SchedulingDeps } from "./deps.js";
import { holdExpiry, pendingSince } from "./holds.js";
import { requireId } from "./ids.js";
import { assertSlotTakeable, unavailable } from "./occupy.js";
import { loadBookingProfile } from "./requestAppointment.js";
import { booked, SlotUnavailableSignal, type BookingResult } from "./results.js";
import { lockForAction } from "./transitions.js";
import type { Actor } from "./types.js";
import { offerFreedSlots } from "./waitlist.js";

export async function rescheduleAppointment(deps: SchedulingDeps, actor: Actor, rawId: string, rawSlotId: string): Promise<BookingResult> {
  const id = requireId(rawId, "id");
  const slotId = requireId(rawSlotId, "slotId");
  const now = deps.clock();
  let moved: { result: BookingResult; freed: string | null };
  try {
    moved = await inTransaction(deps.prisma, async (tx) => {
      const store = new BookingStore(tx, deps.cipher);
      const before = await lockForAction(store, actor, id, "RESCHEDULE", now);
      if (before.slotId === slotId) throw conflict("The appointment is already at this time", "SAME_SLOT", "slotId");
      await store.lockPatient(before.patientId);
      const slot = await store.lockSlot(slotId);
      if (!slot) throw notFound("Unknown slot");
      const profile = await loadBookingProfile(tx, slot.doctorId);
      await assertSlotTakeable(store, { slot, profile, patientId: before.patientId, serviceId: before.serviceId, exceptAppointmentId: id }, deps.rules, now);

      const sameDoctor = slot.doctorId === before.doctorId;
      const status = sameDoctor ? before.status : profile.autoApprove ? "BOOKED" : "PENDING";
      // A request already PENDING keeps its original deadline; a BOOKED appointment moved to a doctor who
      // approves by hand becomes a new request, held from now.
      const requestedAt = before.status === "PENDING" ? pendingSince(await store.statusChanges(id), before.createdAt) : now;
      const holdExpiresAt = status === "PENDING" ? holdExpiry(requestedAt, slot.startsAt, deps.rules.holdMinutes) : null;
      if (holdExpiresAt && holdExpiresAt <= now) throw conflict("This request has expired", "HOLD_EXPIRED");
      await tx.$executeRaw`SAVEPOINT move_slot`;
      let after;
      try {
        after = await store.transition(
          id,
          [before.status],
          { status, holdExpiresAt, doctorId: slot.doctorId, slotId: slot.id, startsAt: slot.startsAt, endsAt: slot.endsAt },
          now,
        );
      } catch (err) {
        if (!isExclusionViolation(err)) throw err;
        await tx.$executeRaw`ROLLBACK TO SAVEPOINT move_slot`;
        return unavailable(store, slot, before.serviceId, "This time overlaps another appointment of the doctor", deps.rules, now);
      }
      if (!after) throw conflict("The appointment changed meanwhile; reload it", "CHANGED_MEANWHILE");
      await store.setSlotStatus(slot.id, "BUSY");
      if (before.slotId) {
        await store.releaseSlot({ id: before.slotId, doctorId: before.doctorId, startsAt: before.startsAt, endsAt: before.endsAt }, id, now);
      }
      await store.recordChange(
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
      await recordEvent(tx, "AppointmentRescheduled", appointmentPayload(after, actor.userId, { previousStartsAt: before.startsAt.toISOString() }), now);
      return { result: booked(after), freed: before.slotId };
    });
  } catch (err) {
    if (err instanceof SlotUnavailableSignal) return err.result;
    throw err;
  }
  if (moved.freed) await offerFreedSlots(deps, [moved.freed]);
  return moved.result;
}
