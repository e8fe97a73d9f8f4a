/**
 * A doctor deactivated in the doctors subgraph (DoctorDeactivated): nobody may book them from now on, their free
 * slots are blocked, and every upcoming appointment with them (PENDING or BOOKED, not started yet) is flagged for
 * staff (`needsAttention`), with a history entry and an AppointmentNeedsAttention event (attentionReason
 * DOCTOR_DEACTIVATED: notifications tells the patient). Appointments that have started or ended, and their history,
 * stay as they are. Once per event: the event is claimed in the transaction of its effect, so a redelivery, or a
 * second instance handling it at once, flags nothing twice.
 *
 * Reactivation (DoctorReactivated) clears no flag — staff decide what happens to each appointment — but the doctor's
 * slots come back: both events end with a re-read of the doctor from the doctors subgraph (`resyncDoctor`), which
 * sets the profile's `active` and the slots from the doctor's current state, whatever order the events arrive in.
 */
import { appointmentPayload } from "./appointmentEvents.js";
import type { Deps } from "./deps.js";
import { resyncDoctor } from "./reconcile.js";

export const DOCTOR_DEACTIVATED = "DOCTOR_DEACTIVATED";

/** The (sealed) reason written in the history of each flagged appointment. */
export const DEACTIVATED_NOTE = "The doctor was deactivated: rebook or cancel";

export interface DeactivationResult {
  /** false: the event was handled before (nothing flagged this time). */
  applied: boolean;
  flagged: number;
  blocked: number;
}

/** Flags the doctor's upcoming appointments and blocks their free slots, once per event (`consumer`, `eventId`). */
export async function flagDeactivatedDoctor(
  deps: Pick<Deps, "unitOfWork" | "clock">,
  consumer: string,
  eventId: string,
  event: { doctorId: string; actorId: string | null },
): Promise<DeactivationResult> {
  const now = deps.clock();
  return deps.unitOfWork.run(async (tx) => {
    if (!(await tx.processedEvents.claim(consumer, eventId))) return { applied: false, flagged: 0, blocked: 0 };
    // The doctor's schedule sync takes the same lock: slots and flags change under one doctor at a time.
    await tx.locks.doctor(event.doctorId);
    await tx.profiles.setActive(event.doctorId, false);
    const free = (await tx.slots.startingFrom(event.doctorId, now)).filter((slot) => slot.status === "FREE").map((slot) => slot.id);
    const blocked = free.length ? await tx.slots.switchStatus(free, "FREE", "BLOCKED") : 0;
    const flagged = await tx.appointments.flagUpcoming(event.doctorId, now, now);
    for (const appointment of flagged) {
      await tx.history.record(
        appointment.id,
        {
          action: "NEEDS_ATTENTION",
          actorId: null,
          actorRole: null,
          fromStatus: appointment.status,
          toStatus: appointment.status,
          reason: DEACTIVATED_NOTE,
        },
        now,
      );
      await tx.outbox.append("AppointmentNeedsAttention", appointmentPayload(appointment, event.actorId, { attentionReason: DOCTOR_DEACTIVATED }), now);
    }
    return { applied: true, flagged: flagged.length, blocked };
  });
}

/** DoctorDeactivated: the flags (once), then the doctor's slots as the doctors subgraph says they are now. */
export async function onDoctorDeactivated(
  deps: Pick<Deps, "unitOfWork" | "clock" | "doctors" | "rules">,
  consumer: string,
  eventId: string,
  event: { doctorId: string; actorId: string | null },
) {
  const result = await flagDeactivatedDoctor(deps, consumer, eventId, event);
  // A failure here is retried with the event; the flags above are not made again (the event is claimed).
  const sync = await resyncDoctor(deps, event.doctorId);
  return { ...result, synced: sync !== null };
}

/** DoctorReactivated: nothing is unflagged; the slots come back from the doctor's current schedule. */
export async function onDoctorReactivated(deps: Pick<Deps, "unitOfWork" | "clock" | "doctors" | "rules">, doctorId: string) {
  return resyncDoctor(deps, doctorId);
}
