/**
 * Asks scheduling which patients have an appointment with a doctor (`myCareRelationships`), calling the
 * subgraph directly with the DOCTOR's own identity, signed like the router signs it: scheduling answers
 * for the caller only, so accounts cannot learn more than the doctor could ask themselves (ADR 0011).
 */
import { randomUUID } from "node:crypto";
import { IDENTITY_HEADER, REQUEST_ID_HEADER, signIdentity, type Identity } from "@clinigraph/platform";
import type { CareRelationshipSource } from "../domain/careRelationships.js";

/** scheduling's limit per call (MAX_CARE_QUERY_IDS there). */
const CHUNK = 500;

export class SchedulingUnavailable extends Error {
  override name = "SchedulingUnavailable";
}

const QUERY = "query($p: [ID!]!) { myCareRelationships(patientIds: $p) }";

export function createHttpCareRelationshipSource(options: { url: string; routerSecrets: readonly string[]; timeoutMs?: number }): CareRelationshipSource {
  async function ask(doctor: Identity, patientIds: readonly string[]): Promise<string[]> {
    const requestId = doctor.requestId || randomUUID();
    let res: Response;
    try {
      res = await fetch(options.url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          [IDENTITY_HEADER]: await signIdentity({ userId: doctor.userId, role: doctor.role, requestId }, options.routerSecrets),
          [REQUEST_ID_HEADER]: requestId,
        },
        body: JSON.stringify({ query: QUERY, variables: { p: patientIds } }),
        signal: AbortSignal.timeout(options.timeoutMs ?? 2_000),
      });
    } catch (err) {
      throw new SchedulingUnavailable(`scheduling unreachable: ${err instanceof Error ? err.message : String(err)}`);
    }
    const body = (await res.json().catch(() => ({}))) as { data?: { myCareRelationships?: unknown }; errors?: { message: string }[] };
    const ids = body.data?.myCareRelationships;
    if (!res.ok || body.errors?.length || !Array.isArray(ids))
      throw new SchedulingUnavailable(`scheduling answered ${res.status}: ${body.errors?.[0]?.message ?? "no data"}`);
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

/** When no scheduling is configured (SCHEDULING_URL=""): the projection alone answers. */
export const noCareRelationshipSource: CareRelationshipSource = { confirm: async () => [] };
