import DataLoader from "dataloader";
import type { BaseContext } from "@clinigraph/platform";
import { isUuid } from "@clinigraph/platform";
import type { LiveFeed } from "@clinigraph/events";
import { createReadRecorder, type ReadRecorder } from "./data/accessAudit.js";
import { toEncounter, toExamination } from "./data/mappers.js";
import { createRecordLoaders, type RecordLoaders } from "./data/records.js";
import type { ClinicalDeps } from "./domain/deps.js";
import { requireActor } from "./domain/policy.js";
import type { Actor, Encounter, Examination } from "./domain/types.js";

export interface ClinicalContext extends BaseContext {
  deps: ClinicalDeps;
  /** The signed-in caller; throws UNAUTHENTICATED for anonymous callers. */
  actor(): Actor;
  encounters: DataLoader<string, Encounter | null>;
  examinations: DataLoader<string, Examination | null>;
  examinationsOf: DataLoader<string, Examination[]>;
  /** For a DOCTOR caller: whether they have a care relationship with the patient (false for anyone else). */
  careWith: DataLoader<string, boolean>;
  /** Live feeds behind the subscriptions (the clinic board, doctors' encounter updates). */
  live: LiveFeed;
  /** The patient card's record entries (data/records.ts). */
  records: RecordLoaders;
  /** Audits reads of someone else's clinical record (data/accessAudit.ts). */
  reads: ReadRecorder;
}

export function createClinicalContext(base: BaseContext, deps: ClinicalDeps, live: LiveFeed): ClinicalContext {
  const { prisma, cipher } = deps;
  return {
    ...base,
    deps,
    actor: () => requireActor(base.identity),
    live,
    records: createRecordLoaders(prisma, cipher),
    reads: createReadRecorder(prisma, base.identity, deps.clock),
    encounters: new DataLoader(async (ids) => {
      const rows = await prisma.encounter.findMany({ where: { id: { in: ids.filter(isUuid) } } });
      const byId = new Map(rows.map((r) => [r.id, toEncounter(cipher, r)]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    examinations: new DataLoader(async (ids) => {
      const rows = await prisma.examination.findMany({ where: { id: { in: ids.filter(isUuid) } } });
      const byId = new Map(rows.map((r) => [r.id, toExamination(cipher, r)]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    examinationsOf: new DataLoader(async (encounterIds) => {
      const rows = await prisma.examination.findMany({ where: { encounterId: { in: [...encounterIds] } }, orderBy: [{ orderedAt: "asc" }, { id: "asc" }] });
      return encounterIds.map((id) => rows.filter((r) => r.encounterId === id).map((r) => toExamination(cipher, r)));
    }),
    careWith: new DataLoader(async (patientIds) => {
      const { userId, role } = base.identity;
      if (role !== "DOCTOR" || !userId) return patientIds.map(() => false);
      const rows = await prisma.careRelationship.findMany({
        where: { doctorUserId: userId, patientId: { in: patientIds.filter(isUuid) } },
        select: { patientId: true },
      });
      const known = new Set(rows.map((r) => r.patientId));
      return patientIds.map((id) => known.has(id));
    }),
  };
}

/** The context type resolvers are generated against (src/generated/graphql.ts). */
export type Context = ClinicalContext;
