/**
 * Pending requests whose hold ran out become EXPIRED and give their slot back (then, once that
 * committed, to the waitlist).
 * Correctness does not wait for this sweep — a request for a slot behind an expired hold expires it on
 * the spot — but the sweep frees slots for search and tells the patient (event) without delay.
 */
import { BookingStore } from "../data/bookingStore.js";
import { inTransaction } from "../data/transaction.js";
import { appointmentPayload, recordEvent } from "../events/outbox.js";
import type { SchedulingDeps } from "./deps.js";
import { offerFreedSlots } from "./waitlist.js";

export async function expireHolds(deps: SchedulingDeps, batch = 100): Promise<number> {
  const now = deps.clock();
  const due = await deps.prisma.appointment.findMany({
    where: { status: "PENDING", holdExpiresAt: { lte: now } },
    select: { id: true },
    orderBy: { holdExpiresAt: "asc" },
    take: batch,
  });
  let expired = 0;
  for (const { id } of due) {
    const outcome = await inTransaction(deps.prisma, async (tx): Promise<{ freed: string | null } | null> => {
      const store = new BookingStore(tx, deps.cipher);
      const before = await store.lockAppointment(id);
      if (!before || before.status !== "PENDING" || !before.holdExpiresAt || before.holdExpiresAt > now) return null;
      const after = await store.transition(id, ["PENDING"], { status: "EXPIRED", holdExpiresAt: null }, now);
      if (!after) return null;
      await store.recordChange(
        id,
        { action: "EXPIRE", actorId: null, actorRole: null, fromStatus: "PENDING", toStatus: "EXPIRED", reason: "The doctor did not answer in time" },
        now,
      );
      await recordEvent(tx, "AppointmentExpired", appointmentPayload(after, null), now);
      if (!before.slotId) return { freed: null };
      await store.releaseSlot({ id: before.slotId, doctorId: before.doctorId, startsAt: before.startsAt, endsAt: before.endsAt }, id, now);
      return { freed: before.slotId };
    });
    if (!outcome) continue;
    expired++;
    if (outcome.freed) await offerFreedSlots(deps, [outcome.freed]);
  }
  return expired;
}
