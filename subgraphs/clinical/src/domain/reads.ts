/**
 * Reads of clinical records within one request (the resolvers' use cases): each checks the read policy
 * (policy.ts) against the request's loaders and audits the read of someone else's record before the answer leaves.
 */
import { forbidden } from "@clinigraph/platform";
import {
  assertCanReadEncounter,
  assertCanReadRecords,
  canReadClinicalText,
  canSeeRecordStatus,
  CLINICAL_RECORD_READ,
  ENCOUNTER_READ,
  EXAMINATION_READ,
} from "./policy.js";
import type { RequestReads, SavedEntry } from "./ports.js";
import type { RecordEntryView } from "./records.js";
import type { Actor, Encounter, Examination } from "./types.js";

/** Audits a list read: one event per patient on it. */
export async function auditedList<T extends { patientId: string }>(scope: RequestReads, action: string, list: Promise<T[]>): Promise<T[]> {
  const items = await list;
  await scope.reads.record(
    action,
    items.map((x) => x.patientId),
  );
  return items;
}

/** An encounter the caller may read (null when it does not exist; FORBIDDEN when not theirs); the read is audited. */
export async function readEncounter(scope: RequestReads, actor: Actor, input: { id: string }): Promise<Encounter | null> {
  const { encounters, careWith } = scope.loaders;
  const encounter = await encounters.load(input.id);
  if (!encounter) return null;
  assertCanReadEncounter(actor, encounter, await careWith.load(encounter.patientId));
  await scope.reads.record(ENCOUNTER_READ, [encounter.patientId]);
  return encounter;
}

/** The examinations of an encounter the caller reads: which were ordered is health information (audited). */
export async function encounterExaminations(scope: RequestReads, input: { encounter: Encounter }): Promise<Examination[]> {
  const { encounter } = input;
  const [examinations] = await Promise.all([scope.loaders.examinationsOf.load(encounter.id), scope.reads.record(EXAMINATION_READ, [encounter.patientId])]);
  return examinations;
}

/** Clinical text of an encounter (summary, refusal reason): the patient and treating/caring doctors only; audited. */
export async function encounterText(scope: RequestReads, actor: Actor, input: { encounter: Encounter; value: string | null }): Promise<string | null> {
  const { encounter, value } = input;
  if (value === null) return null;
  if (!canReadClinicalText(actor, encounter, await scope.loaders.careWith.load(encounter.patientId)))
    throw forbidden("Clinical notes are for the patient and their doctors");
  await scope.reads.record(CLINICAL_RECORD_READ, [encounter.patientId]);
  return value;
}

/** `Encounter.records`: the current versions of the visit's entries (a patient sees signed ones only). */
export async function encounterRecords(scope: RequestReads, actor: Actor, input: { encounter: Encounter }): Promise<RecordEntryView[]> {
  const { encounter } = input;
  assertCanReadRecords(actor, encounter, await scope.loaders.careWith.load(encounter.patientId));
  const entries = (await scope.loaders.recordsOf.load(encounter.id)).filter((r) => canSeeRecordStatus(actor, r.status));
  await scope.reads.record(CLINICAL_RECORD_READ, [encounter.patientId]);
  return entries;
}

/** Every version of an entry, oldest first (reached only through an entry the caller may read). */
export async function recordHistory(scope: RequestReads, actor: Actor, input: { entryId: string }): Promise<RecordEntryView[]> {
  return (await scope.loaders.history.load(input.entryId)).filter((v) => canSeeRecordStatus(actor, v.status));
}

/** The entry's current version, its history primed for this request. */
export function shownEntry(scope: RequestReads, entry: SavedEntry): RecordEntryView {
  scope.loaders.history.clear(entry.current.id);
  scope.loaders.history.prime(entry.current.id, entry.history);
  return entry.current;
}

async function encounterOf(scope: RequestReads, x: Examination): Promise<Encounter> {
  const encounter = await scope.loaders.encounters.load(x.encounterId);
  if (!encounter) throw new Error(`examination ${x.id} without its encounter`); // a foreign key: cannot happen
  return encounter;
}

/** An examination is seen by whoever may see its encounter (the patient, treating/caring doctors, reception, examiners, admins); the read is audited. */
export async function readExamination(scope: RequestReads, actor: Actor, input: { id: string }): Promise<Examination | null> {
  const examination = await scope.loaders.examinations.load(input.id);
  if (!examination) return null;
  const encounter = await encounterOf(scope, examination);
  assertCanReadEncounter(actor, encounter, await scope.loaders.careWith.load(encounter.patientId));
  await scope.reads.record(EXAMINATION_READ, [examination.patientId]);
  return examination;
}

/** `Examination.encounter`: the examination's encounter, audited as an encounter read. */
export async function examinationEncounter(scope: RequestReads, input: { examination: Examination }): Promise<Encounter> {
  const [encounter] = await Promise.all([encounterOf(scope, input.examination), scope.reads.record(ENCOUNTER_READ, [input.examination.patientId])]);
  return encounter;
}

/** Whoever wrote the text (the examiner who performed or cancelled it) reads it back. */
const wrote = (actor: Actor, x: Examination, field: "result" | "cancelReason") => actor.userId === (field === "result" ? x.performedBy : x.cancelledBy);

/**
 * A result or cancellation reason is clinical text: the patient (their own; a result only once REVIEWED), the treating doctor and
 * doctors with a care relationship, and its author; reception, examiners (of others' work) and admins get
 * FORBIDDEN. A read by anyone but the patient is audited.
 */
export async function examinationText(
  scope: RequestReads,
  actor: Actor,
  input: { examination: Examination; field: "result" | "cancelReason" },
): Promise<string | null> {
  const { examination: x, field } = input;
  const value = x[field];
  if (value === null) return null;
  // A result reaches the patient once their doctor has reviewed it (released with the doctor's reading).
  if (field === "result" && actor.role === "PATIENT" && x.status !== "REVIEWED") return null;
  const encounter = await encounterOf(scope, x);
  if (!wrote(actor, x, field) && !canReadClinicalText(actor, encounter, await scope.loaders.careWith.load(encounter.patientId)))
    throw forbidden("Examination results and reasons are for the patient and their doctors");
  await scope.reads.record(CLINICAL_RECORD_READ, [x.patientId]);
  return value;
}
