import type { ClinicalContext } from "../context.js";
import { changeEncounter, registerWalkIn } from "../domain/encounters.js";
import { examinationMutations } from "./Examination.js";
import { recordMutations } from "./MedicalRecordEntry.js";

export const Mutation = {
  registerWalkIn: (_: unknown, args: { patientId: string; doctorId: string }, ctx: ClinicalContext) =>
    registerWalkIn(ctx.deps, ctx.actor(), args.patientId, args.doctorId, ctx.identity.requestId),
  startEncounter: (_: unknown, args: { id: string }, ctx: ClinicalContext) => changeEncounter(ctx.deps, ctx.actor(), args.id, "START"),
  finishEncounter: (_: unknown, args: { id: string; summary?: string | null }, ctx: ClinicalContext) =>
    changeEncounter(ctx.deps, ctx.actor(), args.id, "FINISH", { summary: args.summary }),
  refuseEncounter: (_: unknown, args: { id: string; reason: string }, ctx: ClinicalContext) =>
    changeEncounter(ctx.deps, ctx.actor(), args.id, "REFUSE", { reason: args.reason }),
  confirmVisitOutcome: (_: unknown, args: { encounterId: string }, ctx: ClinicalContext) =>
    changeEncounter(ctx.deps, ctx.actor(), args.encounterId, "CONFIRM_OUTCOME"),
  ...examinationMutations,
  ...recordMutations,
};
