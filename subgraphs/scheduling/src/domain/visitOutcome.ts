/**
 * The saga's step in scheduling (ADR 12): when the doctor ends the encounter of a checked-in
 * appointment, the appointment ends too — as the system (history entry FULFILL without an actor, and the
 * AppointmentFulfilled event with `actorId: null`).
 *
 * What "ends it" means for a refused treatment: the appointment took place — the patient came, was checked
 * in and seen, and the doctor refused to treat — so it is FULFILLED as well (FHIR: the appointment was
 * attended), with the fixed note REFUSED_NOTE in its history (sealed like every reason). Nothing else fits:
 * CANCELLED and NO_SHOW are for visits that did not happen, and they would give back a time the patient
 * used. The refusal's reason is clinical text and stays in clinical; events carry none.
 *
 * Idempotent by state: only a CHECKED_IN appointment is fulfilled (row lock + compare-and-set), so a
 * redelivered event, or one for an appointment the doctor already marked fulfilled, changes nothing.
 */
import { appointmentPayload } from "./appointmentEvents.js";
import type { Deps } from "./deps.js";
import type { AppointmentStatus } from "./types.js";

export const REFUSED_NOTE = "Treatment refused by the doctor (visit ended in clinical)";

export type EncounterOutcome = "FINISHED" | "REFUSED";

export type OutcomeApplied = { applied: true } | { applied: false; status: AppointmentStatus | null };

/** Fulfils the checked-in appointment whose encounter ended; `{ applied: false }` when there is nothing to do. */
export async function fulfilFromEncounter(deps: Pick<Deps, "unitOfWork" | "clock">, appointmentId: string, outcome: EncounterOutcome): Promise<OutcomeApplied> {
  const now = deps.clock();
  return deps.unitOfWork.run(async (tx) => {
    const before = await tx.appointments.lock(appointmentId);
    if (!before || before.status !== "CHECKED_IN") return { applied: false, status: before?.status ?? null };
    const after = await tx.appointments.transition(appointmentId, ["CHECKED_IN"], { status: "FULFILLED", holdExpiresAt: null }, now);
    if (!after) return { applied: false, status: before.status }; // cannot happen: the row is locked
    await tx.history.record(
      appointmentId,
      {
        action: "FULFILL",
        actorId: null,
        actorRole: null,
        fromStatus: "CHECKED_IN",
        toStatus: "FULFILLED",
        reason: outcome === "REFUSED" ? REFUSED_NOTE : null,
      },
      now,
    );
    await tx.outbox.append("AppointmentFulfilled", appointmentPayload(after, null), now);
    return { applied: true };
  });
}
