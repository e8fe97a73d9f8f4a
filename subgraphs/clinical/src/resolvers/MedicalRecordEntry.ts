/**
 * The patient card: `patientCard`, `Encounter.records`, the record mutations and the `MedicalRecordEntry` /
 * `PatientCard` types. Access is decided by domain/policy.ts; each read of someone else's record is audited
 * (data/accessAudit.ts) before the answer leaves.
 */
import type { ClinicalContext } from "../context.js";
import { CLINICAL_RECORD_READ, PATIENT_CARD_READ } from "../data/accessAudit.js";
import { requireId } from "../domain/encounters.js";
import { amendRecord, readPatientCard, saveRecordDraft, signRecord, type SavedEntry } from "../domain/patientCard.js";
import { assertCanReadRecords, canSeeRecordStatus } from "../domain/policy.js";
import type { RecordEntryView, RecordInput } from "../domain/records.js";
import type { Encounter, Examination } from "../domain/types.js";
import { loadReadableEncounter } from "./Encounter.js";

interface PatientCardObject {
  patientId: string;
  encounters: Encounter[];
  records: RecordEntryView[];
  examinations: Examination[];
}

/** The entry's current version, its history primed for this request. */
function shown(ctx: ClinicalContext, entry: SavedEntry): RecordEntryView {
  ctx.records.history.clear(entry.current.id).prime(entry.current.id, entry.history);
  return entry.current;
}

export async function patientCard(_: unknown, args: { patientId: string }, ctx: ClinicalContext): Promise<PatientCardObject> {
  const actor = ctx.actor();
  const patientId = requireId(args.patientId, "patientId");
  const card = await readPatientCard(ctx.deps, actor, patientId, await ctx.careWith.load(patientId));
  await ctx.reads.record(PATIENT_CARD_READ, [patientId]);
  for (const e of card.encounters) ctx.encounters.prime(e.id, e);
  return { ...card, records: card.records.map((entry) => shown(ctx, entry)) };
}

/** `Encounter.records`: the current versions of the visit's entries (a patient sees signed ones only). */
export async function encounterRecords(e: Encounter, _: unknown, ctx: ClinicalContext): Promise<RecordEntryView[]> {
  const actor = ctx.actor();
  assertCanReadRecords(actor, e, await ctx.careWith.load(e.patientId));
  const entries = (await ctx.records.ofEncounter.load(e.id)).filter((r) => canSeeRecordStatus(actor, r.status));
  await ctx.reads.record(CLINICAL_RECORD_READ, [e.patientId]);
  return entries;
}

export const recordMutations = {
  saveRecordDraft: async (_: unknown, args: { encounterId: string; input: RecordInput }, ctx: ClinicalContext) =>
    shown(ctx, await saveRecordDraft(ctx.deps, ctx.actor(), args.encounterId, args.input)),
  signRecord: async (_: unknown, args: { id: string }, ctx: ClinicalContext) => shown(ctx, await signRecord(ctx.deps, ctx.actor(), args.id)),
  amendRecord: async (_: unknown, args: { id: string; input: RecordInput; reason: string }, ctx: ClinicalContext) =>
    shown(ctx, await amendRecord(ctx.deps, ctx.actor(), args.id, args.input, args.reason)),
};

export const MedicalRecordEntry = {
  encounter: (r: RecordEntryView, _: unknown, ctx: ClinicalContext) => (r.encounterId ? loadReadableEncounter(ctx, r.encounterId) : null),
  patient: (r: RecordEntryView) => ({ __typename: "Patient", id: r.patientId }),
  /** Every version, oldest first (reached only through an entry the caller may read). */
  history: async (r: RecordEntryView, _: unknown, ctx: ClinicalContext) =>
    (await ctx.records.history.load(r.id)).filter((v) => canSeeRecordStatus(ctx.actor(), v.status)),
};

export const PatientCard = {
  patient: (card: PatientCardObject) => ({ __typename: "Patient", id: card.patientId }),
};
