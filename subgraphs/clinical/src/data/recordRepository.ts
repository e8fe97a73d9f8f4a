/**
 * Record entries and their versions (the patient card): the RecordRepository port. Every text column is sealed,
 * the prescriptions as one sealed JSON array.
 */
import { randomUUID } from "node:crypto";
import type { FieldCipher } from "@clinigraph/platform";
import type { RecordRepository, SavedEntry } from "../domain/ports.js";
import type { RecordContent, RecordEntryView } from "../domain/records.js";
import { open, seal } from "./mappers.js";
import type { Prisma, Tx } from "./prisma.js";

type EntryRow = Pick<Prisma.RecordEntryGetPayload<object>, "id" | "patientId" | "encounterId" | "authorId">;
type VersionRow = Prisma.RecordVersionGetPayload<object>;

/** The sealed columns of a version's content. */
const sealContent = (cipher: FieldCipher, c: RecordContent) => ({
  complaintsEnc: seal(cipher, c.complaints),
  diagnosisCode: c.diagnosisCode,
  diagnosisEnc: seal(cipher, c.diagnosis),
  prescriptionsEnc: c.prescriptions.length ? seal(cipher, JSON.stringify(c.prescriptions)) : null,
  notesEnc: seal(cipher, c.notes),
});

function openPrescriptions(cipher: FieldCipher, sealed: string | null): string[] {
  const json = open(cipher, sealed);
  if (json === null) return [];
  const parsed: unknown = JSON.parse(json);
  if (!Array.isArray(parsed) || !parsed.every((p) => typeof p === "string")) throw new Error("record version: prescriptions are not a list of strings");
  return parsed;
}

const toRecordView = (cipher: FieldCipher, entry: EntryRow, v: VersionRow): RecordEntryView => ({
  id: entry.id,
  patientId: entry.patientId,
  encounterId: entry.encounterId,
  entryAuthorId: entry.authorId,
  authorId: v.authorId,
  status: v.status,
  version: v.version,
  complaints: open(cipher, v.complaintsEnc),
  diagnosisCode: v.diagnosisCode,
  diagnosis: open(cipher, v.diagnosisEnc),
  prescriptions: openPrescriptions(cipher, v.prescriptionsEnc),
  notes: open(cipher, v.notesEnc),
  amendReason: open(cipher, v.amendReasonEnc),
  createdAt: v.createdAt,
  signedAt: v.signedAt,
});

/** Entries with every version, as views: current and history (oldest first) per entry. */
function toEntryViews(cipher: FieldCipher, rows: (EntryRow & { currentVersion: number; versions: VersionRow[] })[]): SavedEntry[] {
  return rows.map((row) => {
    const history = [...row.versions].sort((a, b) => a.version - b.version).map((v) => toRecordView(cipher, row, v));
    const current = history.find((v) => v.version === row.currentVersion);
    if (!current) throw new Error(`record entry ${row.id}: current version ${row.currentVersion} is missing`);
    return { current, history };
  });
}

export function createRecordRepository(db: Tx, cipher: FieldCipher): RecordRepository {
  const views = (rows: Parameters<typeof toEntryViews>[1]) => toEntryViews(cipher, rows);
  return {
    async find(where) {
      const row = await db.recordEntry.findFirst({ where, include: { versions: true } });
      return row ? views([row])[0]! : null;
    },
    async byIds(ids) {
      return views(await db.recordEntry.findMany({ where: { id: { in: [...ids] } }, include: { versions: true } }));
    },
    async ofEncounters(encounterIds) {
      return views(
        await db.recordEntry.findMany({
          where: { encounterId: { in: [...encounterIds] } },
          include: { versions: true },
          orderBy: [{ createdAt: "asc" }, { id: "asc" }],
        }),
      );
    },
    async ofPatient(patientId) {
      return views(await db.recordEntry.findMany({ where: { patientId }, include: { versions: true }, orderBy: [{ createdAt: "desc" }, { id: "asc" }] }));
    },
    async lock(where) {
      const locked =
        "id" in where
          ? await db.$queryRaw<{ id: string }[]>`SELECT id FROM clinical.record_entries WHERE id = ${where.id}::uuid FOR UPDATE`
          : await db.$queryRaw<{ id: string }[]>`
              SELECT id FROM clinical.record_entries WHERE encounter_id = ${where.encounterId}::uuid AND author_id = ${where.authorId}::uuid FOR UPDATE`;
      return locked.length > 0;
    },
    async createDraft({ patientId, encounterId, authorId, content, at }) {
      await db.recordEntry.create({
        data: {
          id: randomUUID(),
          patientId,
          encounterId,
          authorId,
          currentVersion: 1,
          createdAt: at,
          versions: { create: { id: randomUUID(), version: 1, status: "DRAFT", ...sealContent(cipher, content), authorId, createdAt: at, updatedAt: at } },
        },
      });
    },
    async updateDraft(entryId, version, content, at) {
      // Only an unsigned version is updated; the database trigger would refuse anything else anyway.
      const { count } = await db.recordVersion.updateMany({
        where: { entryId, version, status: "DRAFT", signedAt: null },
        data: { ...sealContent(cipher, content), updatedAt: at },
      });
      return count === 1;
    },
    async sign(entryId, version, at) {
      const { count } = await db.recordVersion.updateMany({
        where: { entryId, version, status: "DRAFT", signedAt: null },
        data: { status: "SIGNED", signedAt: at, updatedAt: at },
      });
      return count === 1;
    },
    async amend({ entryId, version, content, reason, authorId, at }) {
      await db.recordVersion.create({
        data: {
          id: randomUUID(),
          entryId,
          version,
          status: "AMENDED",
          ...sealContent(cipher, content),
          amendReasonEnc: seal(cipher, reason),
          authorId,
          createdAt: at,
          updatedAt: at,
          signedAt: at,
        },
      });
      await db.recordEntry.update({ where: { id: entryId }, data: { currentVersion: version } });
    },
  };
}
