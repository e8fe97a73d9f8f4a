/**
 * The patient card's use cases (rules: records.ts; who reads what: policy.ts). Every write is one
 * transaction under row locks: the encounter's for a draft (one draft per doctor per encounter, and no
 * draft saved past the end of the visit) and then the entry's, the entry's alone for signing and amending
 * (a draft is never saved over a signature; versions are numbered without gaps). Signed versions are never updated — the database refuses it too (init migration trigger).
 * Clinical text is sealed by the record repository; nothing of it goes to the outbox.
 */
import { notFound } from "@clinigraph/platform";
import type { Deps } from "./deps.js";
import { requireId } from "./encounters.js";
import type { SavedEntry, TransactionRepositories } from "./ports.js";
import { assertCanReadPatientCard, canSeeRecordStatus } from "./policy.js";
import {
  applyPatch,
  assertCanAmend,
  assertCanDraft,
  assertCanSign,
  EMPTY_CONTENT,
  validateAmendReason,
  validateRecordInput,
  type RecordInput,
} from "./records.js";
import type { Actor, Encounter, Examination } from "./types.js";

export type { SavedEntry } from "./ports.js";

/** The treating doctor's note of the visit: created as version 1 (DRAFT) or the same draft updated. */
export async function saveRecordDraft(
  deps: Pick<Deps, "unitOfWork" | "clock">,
  actor: Actor,
  input: { encounterId: string; input: RecordInput },
): Promise<SavedEntry> {
  const encounterId = requireId(input.encounterId, "encounterId");
  const patch = validateRecordInput(input.input);
  const mine = { encounterId, authorId: actor.userId };
  return deps.unitOfWork.run(async (tx) => {
    const encounter = await tx.encounters.lock(encounterId);
    if (!encounter) throw notFound("No such encounter");
    // The entry too (signRecord locks only the entry): a draft being signed meanwhile is seen as signed.
    await tx.records.lock(mine);
    const existing = await tx.records.find(mine);
    assertCanDraft(actor, encounter, existing?.current ?? null);
    const content = applyPatch(existing?.current ?? EMPTY_CONTENT, patch);
    const now = deps.clock();
    if (existing) {
      if (!(await tx.records.updateDraft(existing.current.id, existing.current.version, content, now)))
        throw new Error("record draft changed under its encounter's lock"); // cannot happen
    } else {
      await tx.records.createDraft({ patientId: encounter.patientId, encounterId, authorId: actor.userId, content, at: now });
    }
    return (await tx.records.find(mine))!;
  });
}

async function lockEntry(tx: TransactionRepositories, id: string): Promise<SavedEntry & { encounter: Encounter | null }> {
  if (!(await tx.records.lock({ id }))) throw notFound("No such record entry");
  const entry = (await tx.records.find({ id }))!;
  const encounter = entry.current.encounterId ? await tx.encounters.byId(entry.current.encounterId) : null;
  return { ...entry, encounter };
}

/** The author signs their draft: the version becomes SIGNED and immutable. */
export async function signRecord(deps: Pick<Deps, "unitOfWork" | "clock">, actor: Actor, input: { id: string }): Promise<SavedEntry> {
  const id = requireId(input.id, "id");
  return deps.unitOfWork.run(async (tx) => {
    const { current } = await lockEntry(tx, id);
    assertCanSign(actor, current);
    if (!(await tx.records.sign(id, current.version, deps.clock()))) throw new Error("record draft changed under its entry's lock"); // cannot happen
    return (await tx.records.find({ id }))!;
  });
}

/** A correction of a signed entry: a new AMENDED version (signed at creation) with the reason. */
export async function amendRecord(
  deps: Pick<Deps, "unitOfWork" | "clock">,
  actor: Actor,
  input: { id: string; input: RecordInput; reason: string },
): Promise<SavedEntry> {
  const id = requireId(input.id, "id");
  const patch = validateRecordInput(input.input);
  const reason = validateAmendReason(input.reason);
  return deps.unitOfWork.run(async (tx) => {
    const { current, encounter } = await lockEntry(tx, id);
    const treating = actor.role === "DOCTOR" && encounter?.doctorUserId === actor.userId;
    const hasCare = actor.role === "DOCTOR" && (await tx.care.exists(actor.userId, current.patientId));
    assertCanAmend(actor, current, { treating, hasCare });
    const content = applyPatch(current, patch);
    await tx.records.amend({ entryId: id, version: current.version + 1, content, reason, authorId: actor.userId, at: deps.clock() });
    return (await tx.records.find({ id }))!;
  });
}

export interface PatientCard {
  patientId: string;
  /** Newest first. */
  encounters: Encounter[];
  /** Current versions, newest entry first; a patient's own card shows signed entries only. */
  records: SavedEntry[];
  /** Newest first. */
  examinations: Examination[];
}

/** The card, for a caller the policy lets read it (`hasCare`: the caller is a doctor with a care relationship). */
export async function readPatientCard(
  deps: Pick<Deps, "encounters" | "records" | "examinations">,
  actor: Actor,
  input: { patientId: string; hasCare: boolean },
): Promise<PatientCard> {
  const patientId = requireId(input.patientId, "patientId");
  assertCanReadPatientCard(actor, patientId, input.hasCare);
  const [encounters, entries, examinations] = await Promise.all([
    deps.encounters.ofPatient(patientId),
    deps.records.ofPatient(patientId),
    deps.examinations.ofPatient(patientId),
  ]);
  return { patientId, encounters, records: entries.filter((e) => canSeeRecordStatus(actor, e.current.status)), examinations };
}
