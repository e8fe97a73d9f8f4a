/**
 * The patient card's use cases (rules: records.ts; who reads what: policy.ts). Every write is one
 * transaction under row locks: the encounter's for a draft (one draft per doctor per encounter, and no
 * draft saved past the end of the visit) and then the entry's, the entry's alone for signing and amending
 * (a draft is never saved over a signature; versions are numbered without gaps). Signed versions are never updated — the database refuses it too (init migration trigger).
 * Clinical text is sealed (data/records.ts); nothing of it goes to the outbox.
 */
import { randomUUID } from "node:crypto";
import { notFound, inTransaction } from "@clinigraph/platform";
import { toEncounter, toExamination } from "../data/mappers.js";
import type { Tx } from "../data/prisma.js";
import { sealContent, toEntryViews } from "../data/records.js";
import { seal } from "../data/mappers.js";
import type { ClinicalDeps } from "./deps.js";
import { requireId } from "./encounters.js";
import { assertCanReadPatientCard, canSeeRecordStatus } from "./policy.js";
import {
  applyPatch,
  assertCanAmend,
  assertCanDraft,
  assertCanSign,
  EMPTY_CONTENT,
  validateAmendReason,
  validateRecordInput,
  type RecordEntryView,
  type RecordInput,
} from "./records.js";
import type { Actor, Encounter, Examination } from "./types.js";

/** A record entry with its versions, as the use cases return it (the history primes the request's loader). */
export interface SavedEntry {
  current: RecordEntryView;
  history: RecordEntryView[];
}

async function loadEntry(tx: Tx, deps: ClinicalDeps, where: { id: string } | { encounterId: string; authorId: string }): Promise<SavedEntry | null> {
  const row = await tx.recordEntry.findFirst({ where, include: { versions: true } });
  return row ? toEntryViews(deps.cipher, [row])[0]! : null;
}

/** The treating doctor's note of the visit: created as version 1 (DRAFT) or the same draft updated. */
export async function saveRecordDraft(deps: ClinicalDeps, actor: Actor, encounterIdArg: string, input: RecordInput): Promise<SavedEntry> {
  const encounterId = requireId(encounterIdArg, "encounterId");
  const patch = validateRecordInput(input);
  return inTransaction(deps.prisma, async (tx) => {
    const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM clinical.encounters WHERE id = ${encounterId}::uuid FOR UPDATE`;
    if (locked.length === 0) throw notFound("No such encounter");
    const encounter = toEncounter(deps.cipher, await tx.encounter.findUniqueOrThrow({ where: { id: encounterId } }));
    // The entry too (signRecord locks only the entry): a draft being signed meanwhile is seen as signed.
    await tx.$queryRaw`SELECT id FROM clinical.record_entries WHERE encounter_id = ${encounterId}::uuid AND author_id = ${actor.userId}::uuid FOR UPDATE`;
    const existing = await loadEntry(tx, deps, { encounterId, authorId: actor.userId });
    assertCanDraft(actor, encounter, existing?.current ?? null);
    const content = applyPatch(existing?.current ?? EMPTY_CONTENT, patch);
    const now = deps.clock();
    if (existing) {
      // Only an unsigned version is updated; the trigger would refuse anything else anyway.
      const { count } = await tx.recordVersion.updateMany({
        where: { entryId: existing.current.id, version: existing.current.version, status: "DRAFT", signedAt: null },
        data: { ...sealContent(deps.cipher, content), updatedAt: now },
      });
      if (count !== 1) throw new Error("record draft changed under its encounter's lock"); // cannot happen
    } else {
      await tx.recordEntry.create({
        data: {
          id: randomUUID(),
          patientId: encounter.patientId,
          encounterId,
          authorId: actor.userId,
          currentVersion: 1,
          createdAt: now,
          versions: {
            create: {
              id: randomUUID(),
              version: 1,
              status: "DRAFT",
              ...sealContent(deps.cipher, content),
              authorId: actor.userId,
              createdAt: now,
              updatedAt: now,
            },
          },
        },
      });
    }
    return (await loadEntry(tx, deps, { encounterId, authorId: actor.userId }))!;
  });
}

async function lockEntry(tx: Tx, deps: ClinicalDeps, id: string): Promise<SavedEntry & { encounter: Encounter | null }> {
  const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM clinical.record_entries WHERE id = ${id}::uuid FOR UPDATE`;
  if (locked.length === 0) throw notFound("No such record entry");
  const entry = (await loadEntry(tx, deps, { id }))!;
  const row = entry.current.encounterId ? await tx.encounter.findUnique({ where: { id: entry.current.encounterId } }) : null;
  return { ...entry, encounter: row ? toEncounter(deps.cipher, row) : null };
}

/** The author signs their draft: the version becomes SIGNED and immutable. */
export async function signRecord(deps: ClinicalDeps, actor: Actor, idArg: string): Promise<SavedEntry> {
  const id = requireId(idArg, "id");
  return inTransaction(deps.prisma, async (tx) => {
    const { current } = await lockEntry(tx, deps, id);
    assertCanSign(actor, current);
    const now = deps.clock();
    const { count } = await tx.recordVersion.updateMany({
      where: { entryId: id, version: current.version, status: "DRAFT", signedAt: null },
      data: { status: "SIGNED", signedAt: now, updatedAt: now },
    });
    if (count !== 1) throw new Error("record draft changed under its entry's lock"); // cannot happen
    return (await loadEntry(tx, deps, { id }))!;
  });
}

/** A correction of a signed entry: a new AMENDED version (signed at creation) with the reason. */
export async function amendRecord(deps: ClinicalDeps, actor: Actor, idArg: string, input: RecordInput, reasonArg: string): Promise<SavedEntry> {
  const id = requireId(idArg, "id");
  const patch = validateRecordInput(input);
  const reason = validateAmendReason(reasonArg);
  return inTransaction(deps.prisma, async (tx) => {
    const { current, encounter } = await lockEntry(tx, deps, id);
    const treating = actor.role === "DOCTOR" && encounter?.doctorUserId === actor.userId;
    const hasCare = actor.role === "DOCTOR" && (await tx.careRelationship.count({ where: { doctorUserId: actor.userId, patientId: current.patientId } })) > 0;
    assertCanAmend(actor, current, { treating, hasCare });
    const content = applyPatch(current, patch);
    const now = deps.clock();
    const version = current.version + 1;
    await tx.recordVersion.create({
      data: {
        id: randomUUID(),
        entryId: id,
        version,
        status: "AMENDED",
        ...sealContent(deps.cipher, content),
        amendReasonEnc: seal(deps.cipher, reason),
        authorId: actor.userId,
        createdAt: now,
        updatedAt: now,
        signedAt: now,
      },
    });
    await tx.recordEntry.update({ where: { id }, data: { currentVersion: version } });
    return (await loadEntry(tx, deps, { id }))!;
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
export async function readPatientCard(deps: ClinicalDeps, actor: Actor, patientIdArg: string, hasCare: boolean): Promise<PatientCard> {
  const patientId = requireId(patientIdArg, "patientId");
  assertCanReadPatientCard(actor, patientId, hasCare);
  const [encounters, entries, examinations] = await Promise.all([
    deps.prisma.encounter.findMany({ where: { patientId }, orderBy: [{ arrivedAt: "desc" }, { id: "asc" }] }),
    deps.prisma.recordEntry.findMany({ where: { patientId }, include: { versions: true }, orderBy: [{ createdAt: "desc" }, { id: "asc" }] }),
    deps.prisma.examination.findMany({ where: { patientId }, orderBy: [{ orderedAt: "desc" }, { id: "asc" }] }),
  ]);
  return {
    patientId,
    encounters: encounters.map((r) => toEncounter(deps.cipher, r)),
    records: toEntryViews(deps.cipher, entries).filter((e) => canSeeRecordStatus(actor, e.current.status)),
    examinations: examinations.map((r) => toExamination(deps.cipher, r)),
  };
}
