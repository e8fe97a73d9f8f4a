import { forbidden } from "@clinigraph/platform";
import type { ClinicalContext } from "../context.js";
import { CLINICAL_RECORD_READ, ENCOUNTER_READ, EXAMINATION_READ } from "../data/accessAudit.js";
import { allowedTransitions } from "../domain/examinationMachine.js";
import { changeExamination, orderExamination } from "../domain/examinations.js";
import { examinationWorklist } from "../domain/examWorklist.js";
import { assertCanReadEncounter, canReadClinicalText } from "../domain/policy.js";
import type { Actor, Encounter, Examination as ExaminationRecord } from "../domain/types.js";

async function encounterOf(ctx: ClinicalContext, x: ExaminationRecord): Promise<Encounter> {
  const encounter = await ctx.encounters.load(x.encounterId);
  if (!encounter) throw new Error(`examination ${x.id} without its encounter`); // a foreign key: cannot happen
  return encounter;
}

/** An examination is seen by whoever may see its encounter (the patient, treating/caring doctors, reception, examiners, admins); the read is audited. */
export async function loadReadableExamination(ctx: ClinicalContext, id: string): Promise<ExaminationRecord | null> {
  const actor = ctx.actor();
  const examination = await ctx.examinations.load(id);
  if (!examination) return null;
  const encounter = await encounterOf(ctx, examination);
  assertCanReadEncounter(actor, encounter, await ctx.careWith.load(encounter.patientId));
  await ctx.reads.record(EXAMINATION_READ, [examination.patientId]);
  return examination;
}

/** Whoever wrote the text (the examiner who performed or cancelled it) reads it back. */
const wrote = (actor: Actor, x: ExaminationRecord, field: "result" | "cancelReason") => actor.userId === (field === "result" ? x.performedBy : x.cancelledBy);

/**
 * A result or cancellation reason is clinical text: the patient (their own; a result only once REVIEWED), the treating doctor and
 * doctors with a care relationship, and its author; reception, examiners (of others' work) and admins get
 * FORBIDDEN. A read by anyone but the patient is audited.
 */
async function clinicalText(x: ExaminationRecord, ctx: ClinicalContext, field: "result" | "cancelReason"): Promise<string | null> {
  const value = x[field];
  if (value === null) return null;
  const actor = ctx.actor();
  // A result reaches the patient once their doctor has reviewed it (released with the doctor's reading).
  if (field === "result" && actor.role === "PATIENT" && x.status !== "REVIEWED") return null;
  const encounter = await encounterOf(ctx, x);
  if (!wrote(actor, x, field) && !canReadClinicalText(actor, encounter, await ctx.careWith.load(encounter.patientId)))
    throw forbidden("Examination results and reasons are for the patient and their doctors");
  await ctx.reads.record(CLINICAL_RECORD_READ, [x.patientId]);
  return value;
}

export const Examination = {
  __resolveReference: (ref: { id: string }, ctx: ClinicalContext) => loadReadableExamination(ctx, ref.id),
  encounter: async (x: ExaminationRecord, _: unknown, ctx: ClinicalContext) => {
    const [encounter] = await Promise.all([encounterOf(ctx, x), ctx.reads.record(ENCOUNTER_READ, [x.patientId])]);
    return encounter;
  },
  patient: (x: ExaminationRecord) => ({ __typename: "Patient", id: x.patientId }),
  service: (x: ExaminationRecord) => ({ __typename: "MedicalService", id: x.serviceId }),
  result: (x: ExaminationRecord, _: unknown, ctx: ClinicalContext) => clinicalText(x, ctx, "result"),
  cancelReason: (x: ExaminationRecord, _: unknown, ctx: ClinicalContext) => clinicalText(x, ctx, "cancelReason"),
  allowedTransitions: (x: ExaminationRecord, _: unknown, ctx: ClinicalContext) => allowedTransitions(ctx.actor(), x),
};

export const examinationMutations = {
  orderExamination: (_: unknown, args: { encounterId: string; serviceId: string }, ctx: ClinicalContext) =>
    orderExamination(ctx.deps, ctx.actor(), args.encounterId, args.serviceId),
  performExamination: (_: unknown, args: { id: string; result: string }, ctx: ClinicalContext) =>
    changeExamination(ctx.deps, ctx.actor(), args.id, "PERFORM", { result: args.result }),
  cancelExamination: (_: unknown, args: { id: string; reason: string }, ctx: ClinicalContext) =>
    changeExamination(ctx.deps, ctx.actor(), args.id, "CANCEL", { reason: args.reason }),
  reviewExamination: (_: unknown, args: { id: string }, ctx: ClinicalContext) => changeExamination(ctx.deps, ctx.actor(), args.id, "REVIEW"),
};

/** The examiners' worklist: one audit event per patient on it. */
export async function examinationWorklistQuery(_: unknown, args: { first?: number | null }, ctx: ClinicalContext) {
  const examinations = await examinationWorklist(ctx.deps, ctx.actor(), args.first);
  await ctx.reads.record(
    EXAMINATION_READ,
    examinations.map((x) => x.patientId),
  );
  return examinations;
}
