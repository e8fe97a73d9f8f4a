/**
 * Asks scheduling which patients have an appointment with a doctor (`myCareRelationships`), calling the
 * subgraph directly with the DOCTOR's own identity, signed like the router signs it: scheduling answers
 * for the caller only, so accounts cannot learn more than the doctor could ask themselves (ADR 0011).
 */
import { callSubgraphAs, type Identity } from "@clinigraph/platform";
import type { CareRelationshipSource } from "../domain/ports.js";

/** scheduling's limit per call (MAX_CARE_QUERY_IDS there). */
const CHUNK = 500;

export class SchedulingUnavailable extends Error {
  override name = "SchedulingUnavailable";
}

/**
 * `field`: the subgraph's query answering "which of these patients do I (the doctor) care for":
 * scheduling's `myCareRelationships` (appointments, the default) or clinical's `myEncounterPatients`.
 */
export function createHttpCareRelationshipSource(options: {
  url: string;
  routerSecrets: readonly string[];
  timeoutMs?: number;
  field?: string;
}): CareRelationshipSource {
  const field = options.field ?? "myCareRelationships";
  const QUERY = `query($p: [ID!]!) { ${field}(patientIds: $p) }`;
  async function ask(doctor: Identity, patientIds: readonly string[]): Promise<string[]> {
    const data = await callSubgraphAs<Record<string, unknown>>({
      url: options.url,
      routerSecrets: options.routerSecrets,
      timeoutMs: options.timeoutMs ?? 2_000,
      caller: { userId: doctor.userId, role: doctor.role, requestId: doctor.requestId },
      query: QUERY,
      variables: { p: patientIds },
      unavailable: (message) => new SchedulingUnavailable(`${field}: ${message}`),
    });
    const ids = data[field];
    if (!Array.isArray(ids)) throw new SchedulingUnavailable(`${field}: no list in the answer`);
    return ids.filter((id): id is string => typeof id === "string");
  }

  return {
    async confirm(doctor, patientIds) {
      const confirmed: string[] = [];
      for (let i = 0; i < patientIds.length; i += CHUNK) confirmed.push(...(await ask(doctor, patientIds.slice(i, i + CHUNK))));
      return confirmed;
    },
  };
}

/**
 * Several sources asked in turn (scheduling knows appointments, clinical encounters — walk-ins have no
 * appointment): each is asked only about the patients the previous ones did not confirm. A source that
 * cannot answer is skipped while another answered; when none can, the first failure stands (fail closed).
 */
export function combineCareRelationshipSources(sources: readonly CareRelationshipSource[]): CareRelationshipSource {
  if (sources.length === 0) return { confirm: async () => [] };
  if (sources.length === 1) return sources[0]!;
  return {
    async confirm(doctor, patientIds) {
      const confirmed = new Set<string>();
      let failure: unknown;
      let answered = false;
      for (const source of sources) {
        const open = patientIds.filter((id) => !confirmed.has(id));
        if (open.length === 0) break;
        try {
          for (const id of await source.confirm(doctor, open)) confirmed.add(id);
          answered = true;
        } catch (err) {
          failure ??= err;
        }
      }
      if (!answered && failure) throw failure;
      return [...confirmed];
    },
  };
}

/** When no scheduling is configured (SCHEDULING_URL=""): the projection alone answers. */
export const noCareRelationshipSource: CareRelationshipSource = { confirm: async () => [] };
