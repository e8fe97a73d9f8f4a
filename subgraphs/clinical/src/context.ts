import DataLoader from "dataloader";
import { actorAccessors, type BaseContext } from "@clinigraph/platform";
import type { LiveFeed } from "@clinigraph/events";
import type { Deps } from "./domain/deps.js";
import type { Loader, ReadAudit, RequestReads } from "./domain/ports.js";
import type { Actor } from "./domain/types.js";

/** Per-request loaders (the RequestReads port's, as DataLoaders): batched reads through the repositories of Deps. */
export type Loaders = { [K in keyof RequestReads["loaders"]]: RequestReads["loaders"][K] extends Loader<infer Key, infer V> ? DataLoader<Key, V> : never };

export interface Context extends BaseContext {
  deps: Deps;
  /** The signed-in caller; throws UNAUTHENTICATED for anonymous callers. */
  actor(): Promise<Actor>;
  /** The caller, or null when anonymous. */
  actorOrNull(): Promise<Actor | null>;
  loaders: Loaders;
  /** Live feeds behind the subscriptions (the clinic board, doctors' encounter updates). */
  live: LiveFeed;
  /** Audits reads of someone else's clinical record. */
  reads: ReadAudit;
}

function createLoaders(base: BaseContext, deps: Deps): Loaders {
  const byId = <T extends { id: string }>(rows: T[], ids: readonly string[]) => {
    const map = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => map.get(id) ?? null);
  };
  const history: Loaders["history"] = new DataLoader(async (entryIds) => {
    const entries = new Map((await deps.records.byIds(entryIds)).map((e) => [e.current.id, e.history]));
    return entryIds.map((id) => entries.get(id) ?? []);
  });
  return {
    encounters: new DataLoader(async (ids) => byId(await deps.encounters.byIds(ids), ids)),
    examinations: new DataLoader(async (ids) => byId(await deps.examinations.byIds(ids), ids)),
    examinationsOf: new DataLoader(async (encounterIds) => {
      const rows = await deps.examinations.ofEncounters(encounterIds);
      return encounterIds.map((id) => rows.filter((r) => r.encounterId === id));
    }),
    careWith: new DataLoader(async (patientIds) => {
      const { userId, role } = base.identity;
      if (role !== "DOCTOR" || !userId) return patientIds.map(() => false);
      const known = new Set(await deps.care.patientsOf(userId, patientIds));
      return patientIds.map((id) => known.has(id));
    }),
    recordsOf: new DataLoader(async (encounterIds) => {
      const entries = await deps.records.ofEncounters(encounterIds);
      for (const e of entries) history.prime(e.current.id, e.history);
      return encounterIds.map((id) => entries.filter((e) => e.current.encounterId === id).map((e) => e.current));
    }),
    history,
  };
}

export function createContext(base: BaseContext, deps: Deps, live: LiveFeed): Context {
  return {
    ...base,
    deps,
    live,
    ...actorAccessors<Actor>(base.identity, ({ userId, role }) => ({ userId, role })),
    reads: deps.accessAudit.forRequest(base.identity),
    loaders: createLoaders(base, deps),
  };
}
