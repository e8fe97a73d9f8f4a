/**
 * The examination order's state machine (a FHIR ServiceRequest):
 *   ORDERED → PERFORMED (the examiner records the result) | CANCELLED (the examiner, or the ordering doctor);
 *   PERFORMED → REVIEWED (the ordering doctor).
 * Pure: who may do what, in which state. Ordering itself is an encounter action (ORDER_EXAMINATION in
 * encounterMachine.ts: the treating doctor, while the encounter is IN_PROGRESS); what may be ordered is
 * decided here (`isOrderableKind`).
 */
import { conflict, forbidden } from "@clinigraph/platform";
import type { Actor, Examination, ExaminationStatus } from "./types.js";

export type ExaminationAction = "PERFORM" | "CANCEL" | "REVIEW";

/**
 * The kinds of the medical services catalogue (doctors subgraph) that are examinations: diagnostic
 * services whose outcome is a result for the doctor to review. PROCEDURE is not among them: the kind
 * mixes diagnostic procedures (ECG, biopsy) with treatments (vaccination), which are not examinations and
 * have no result to review; CONSULTATION, CHECKUP and OPERATION are visits or treatments. Diagnostic
 * procedures become orderable once the catalogue marks services as diagnostic (a doctors-side change).
 */
export const ORDERABLE_KINDS: readonly string[] = ["LAB_TEST", "IMAGING"];

export const isOrderableKind = (kind: string): boolean => ORDERABLE_KINDS.includes(kind);

const FROM: Record<ExaminationAction, readonly ExaminationStatus[]> = {
  PERFORM: ["ORDERED"],
  CANCEL: ["ORDERED"],
  REVIEW: ["PERFORMED"],
};

export const isOrderingDoctor = (actor: Actor | null, examination: Pick<Examination, "orderedBy">) =>
  actor?.role === "DOCTOR" && actor.userId === examination.orderedBy;

function mayAct(actor: Actor | null, examination: Examination, action: ExaminationAction): boolean {
  switch (action) {
    case "PERFORM":
      return actor?.role === "EXAMINER";
    case "CANCEL":
      return actor?.role === "EXAMINER" || isOrderingDoctor(actor, examination);
    case "REVIEW":
      return isOrderingDoctor(actor, examination);
  }
}

const WHO: Record<ExaminationAction, string> = {
  PERFORM: "Only an examiner performs examinations",
  CANCEL: "Only an examiner or the ordering doctor cancels an examination",
  REVIEW: "Only the ordering doctor reviews the result",
};

/** Throws FORBIDDEN (not the caller's to do) or CONFLICT (not in this state). */
export function assertCan(actor: Actor, examination: Examination, action: ExaminationAction): void {
  if (!mayAct(actor, examination, action)) throw forbidden(WHO[action]);
  if (!FROM[action].includes(examination.status))
    throw conflict(`The examination is ${examination.status}; ${action} needs ${FROM[action].join(" or ")}`, "INVALID_STATE");
}

export function allowedTransitions(actor: Actor | null, examination: Examination): ExaminationAction[] {
  return (Object.keys(FROM) as ExaminationAction[]).filter((a) => mayAct(actor, examination, a) && FROM[a].includes(examination.status));
}

export const TARGET: Record<ExaminationAction, ExaminationStatus> = { PERFORM: "PERFORMED", CANCEL: "CANCELLED", REVIEW: "REVIEWED" };
