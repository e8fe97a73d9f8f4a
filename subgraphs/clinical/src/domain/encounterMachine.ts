/**
 * The encounter's state machine: ARRIVED → IN_PROGRESS → FINISHED | REFUSED, then
 * reception confirms the outcome. Pure: who may do what, in which state. The treating doctor acts on
 * the visit; reception (and admins) register and confirm.
 */
import { conflict, forbidden, type ReasonOf } from "@clinigraph/platform";
import type { Actor, Encounter } from "./types.js";

export type EncounterAction = "START" | "ORDER_EXAMINATION" | "FINISH" | "REFUSE" | "CONFIRM_OUTCOME";

const FROM: Record<EncounterAction, readonly Encounter["status"][]> = {
  START: ["ARRIVED"],
  ORDER_EXAMINATION: ["IN_PROGRESS"],
  FINISH: ["IN_PROGRESS"],
  REFUSE: ["ARRIVED", "IN_PROGRESS"],
  CONFIRM_OUTCOME: ["FINISHED", "REFUSED"],
};

export const isTreatingDoctor = (actor: Actor | null, encounter: Pick<Encounter, "doctorUserId">) =>
  actor?.role === "DOCTOR" && actor.userId === encounter.doctorUserId;

function mayAct(actor: Actor | null, encounter: Encounter, action: EncounterAction): boolean {
  if (action === "CONFIRM_OUTCOME") return actor?.role === "RECEPTIONIST" || actor?.role === "ADMIN";
  return isTreatingDoctor(actor, encounter);
}

/** Why `action` is impossible now (null: it is possible). `pendingExaminations`: ORDERED ones. */
function blocker(encounter: Encounter, action: EncounterAction, pendingExaminations: number): { message: string; reason: ReasonOf<"CONFLICT"> } | null {
  if (!FROM[action].includes(encounter.status))
    return { message: `The encounter is ${encounter.status}; ${action} needs ${FROM[action].join(" or ")}`, reason: "INVALID_STATE" };
  if (action === "CONFIRM_OUTCOME" && encounter.outcomeConfirmedAt) return { message: "The outcome is already confirmed", reason: "OUTCOME_ALREADY_CONFIRMED" };
  if (action === "FINISH" && pendingExaminations > 0)
    return {
      message: `${pendingExaminations} examination(s) are still ORDERED: wait for the results or cancel them before finishing`,
      reason: "EXAMINATIONS_PENDING",
    };
  return null;
}

/** Throws FORBIDDEN (not the caller's to do) or CONFLICT (not in this state). */
export function assertCan(actor: Actor, encounter: Encounter, action: EncounterAction, pendingExaminations: number): void {
  if (!mayAct(actor, encounter, action))
    throw forbidden(action === "CONFIRM_OUTCOME" ? "Only reception confirms the outcome of a visit" : "Only the treating doctor can do this");
  const why = blocker(encounter, action, pendingExaminations);
  if (why) throw conflict(why.message, why.reason);
}

export function allowedTransitions(actor: Actor | null, encounter: Encounter, pendingExaminations: number): EncounterAction[] {
  return (Object.keys(FROM) as EncounterAction[]).filter((a) => mayAct(actor, encounter, a) && blocker(encounter, a, pendingExaminations) === null);
}
