import type { ClinicalContext } from "../context.js";
import { allowedTransitions } from "../domain/encounterMachine.js";
import { assertCanReadEncounter, canReadClinicalText } from "../domain/policy.js";
import type { Encounter as EncounterRecord } from "../domain/types.js";
import { forbidden } from "@clinigraph/platform";
import { CLINICAL_RECORD_READ, ENCOUNTER_READ, EXAMINATION_READ } from "../data/accessAudit.js";
import { encounterRecords } from "./MedicalRecordEntry.js";

/** Loads an encounter the caller may read (null when it does not exist; FORBIDDEN when not theirs); the read is audited. */
export async function loadReadableEncounter(ctx: ClinicalContext, id: string): Promise<EncounterRecord | null> {
  const actor = ctx.actor();
  const encounter = await ctx.encounters.load(id);
  if (!encounter) return null;
  assertCanReadEncounter(actor, encounter, await ctx.careWith.load(encounter.patientId));
  await ctx.reads.record(ENCOUNTER_READ, [encounter.patientId]);
  return encounter;
}

/** The examinations of an encounter the caller reads: which were ordered is health information (audited). */
async function examinationsOf(e: EncounterRecord, ctx: ClinicalContext) {
  const [examinations] = await Promise.all([ctx.examinationsOf.load(e.id), ctx.reads.record(EXAMINATION_READ, [e.patientId])]);
  return examinations;
}

async function clinicalText(e: EncounterRecord, ctx: ClinicalContext, value: string | null): Promise<string | null> {
  if (value === null) return null;
  if (!canReadClinicalText(ctx.actor(), e, await ctx.careWith.load(e.patientId))) throw forbidden("Clinical notes are for the patient and their doctors");
  await ctx.reads.record(CLINICAL_RECORD_READ, [e.patientId]);
  return value;
}

export const Encounter = {
  __resolveReference: (ref: { id: string }, ctx: ClinicalContext) => loadReadableEncounter(ctx, ref.id),
  patient: (e: EncounterRecord) => ({ __typename: "Patient", id: e.patientId }),
  doctor: (e: EncounterRecord) => ({ __typename: "Doctor", id: e.doctorId }),
  appointment: (e: EncounterRecord) => (e.appointmentId ? { __typename: "Appointment", id: e.appointmentId } : null),
  summary: (e: EncounterRecord, _: unknown, ctx: ClinicalContext) => clinicalText(e, ctx, e.summary),
  refusalReason: (e: EncounterRecord, _: unknown, ctx: ClinicalContext) => clinicalText(e, ctx, e.refusalReason),
  examinations: (e: EncounterRecord, _: unknown, ctx: ClinicalContext) => examinationsOf(e, ctx),
  pendingExaminations: async (e: EncounterRecord, _: unknown, ctx: ClinicalContext) =>
    (await examinationsOf(e, ctx)).filter((x) => x.status === "ORDERED").length,
  records: (e: EncounterRecord, args: unknown, ctx: ClinicalContext) => encounterRecords(e, args, ctx),
  allowedTransitions: async (e: EncounterRecord, _: unknown, ctx: ClinicalContext) =>
    allowedTransitions(ctx.actor(), e, (await ctx.examinationsOf.load(e.id)).filter((x) => x.status === "ORDERED").length),
};
