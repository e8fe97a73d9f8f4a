/**
 * Pending requests whose hold ran out become EXPIRED and give their slot back (then, once that
 * committed, to the waitlist).
 * Correctness does not wait for this sweep — a request for a slot behind an expired hold expires it on
 * the spot — but the sweep frees slots for search and tells the patient (event) without delay.
 */
import type { Deps } from "./deps.js";
import { expireHold } from "./occupy.js";
import { offerFreedSlots } from "./waitlist.js";

export async function expireHolds(deps: Deps, batch = 100): Promise<number> {
  const now = deps.clock();
  const due = await deps.appointments.dueHolds(now, batch);
  let expired = 0;
  for (const id of due) {
    const outcome = await deps.unitOfWork.run(async (tx): Promise<{ freed: string | null } | null> => {
      const before = await tx.appointments.lock(id);
      if (!before || before.status !== "PENDING" || !before.holdExpiresAt || before.holdExpiresAt > now) return null;
      if (!(await expireHold(tx, id, now))) return null;
      if (!before.slotId) return { freed: null };
      await tx.slots.release({ id: before.slotId, doctorId: before.doctorId, startsAt: before.startsAt, endsAt: before.endsAt }, id, now);
      return { freed: before.slotId };
    });
    if (!outcome) continue;
    expired++;
    if (outcome.freed) await offerFreedSlots(deps, [outcome.freed]);
  }
  return expired;
}
