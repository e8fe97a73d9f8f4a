/**
 * Record entries and their versions (the patient card): sealing and opening the clinical text (ADR 3: every
 * text column, and the prescriptions as one sealed JSON array), and per-request loaders.
 */
import DataLoader from "dataloader";
import type { FieldCipher } from "@clinigraph/platform";
import type { RecordContent, RecordEntryView } from "../domain/records.js";
import { open, seal } from "./mappers.js";
import type { Prisma, PrismaClient } from "./prisma.js";

type EntryRow = Pick<Prisma.RecordEntryGetPayload<object>, "id" | "patientId" | "encounterId" | "authorId">;
type VersionRow = Prisma.RecordVersionGetPayload<object>;

/** The sealed columns of a version's content. */
export const sealContent = (cipher: FieldCipher, c: RecordContent) => ({
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

export const toRecordView = (cipher: FieldCipher, entry: EntryRow, v: VersionRow): RecordEntryView => ({
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

/** Entries with every version, as views: [current, history (oldest first)] per entry. */
export function toEntryViews(cipher: FieldCipher, rows: (EntryRow & { currentVersion: number; versions: VersionRow[] })[]) {
  return rows.map((row) => {
    const history = [...row.versions].sort((a, b) => a.version - b.version).map((v) => toRecordView(cipher, row, v));
    const current = history.find((v) => v.version === row.currentVersion);
    if (!current) throw new Error(`record entry ${row.id}: current version ${row.currentVersion} is missing`);
    return { current, history };
  });
}

export interface RecordLoaders {
  /** The current versions of an encounter's entries, oldest entry first. */
  ofEncounter: DataLoader<string, RecordEntryView[]>;
  /** Every version of an entry, oldest first. */
  history: DataLoader<string, RecordEntryView[]>;
}

export function createRecordLoaders(prisma: Pick<PrismaClient, "recordEntry">, cipher: FieldCipher): RecordLoaders {
  const history: RecordLoaders["history"] = new DataLoader(async (entryIds) => {
    const rows = await prisma.recordEntry.findMany({ where: { id: { in: [...entryIds] } }, include: { versions: true } });
    const byId = new Map(toEntryViews(cipher, rows).map((e) => [e.current.id, e.history]));
    return entryIds.map((id) => byId.get(id) ?? []);
  });
  const ofEncounter: RecordLoaders["ofEncounter"] = new DataLoader(async (encounterIds) => {
    const rows = await prisma.recordEntry.findMany({
      where: { encounterId: { in: [...encounterIds] } },
      include: { versions: true },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    });
    const entries = toEntryViews(cipher, rows);
    for (const e of entries) history.prime(e.current.id, e.history);
    return encounterIds.map((id) => entries.filter((e) => e.current.encounterId === id).map((e) => e.current));
  });
  return { ofEncounter, history };
}
