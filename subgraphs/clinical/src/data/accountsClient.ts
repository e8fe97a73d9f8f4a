/**
 * What clinical asks the accounts subgraph (its public GraphQL API, never its tables): whether a patient
 * exists, before reception registers a walk-in for them. Asked with the caller's own identity, signed like
 * the router signs it, so accounts applies its rules (and its audit) to the receptionist who asked.
 */
import { randomUUID } from "node:crypto";
import { IDENTITY_HEADER, REQUEST_ID_HEADER, signIdentity, type Identity } from "@clinigraph/platform";

export interface PatientDirectory {
  /** true when accounts knows a patient with this id. */
  exists(caller: Identity, patientId: string): Promise<boolean>;
}

export class AccountsUnavailable extends Error {
  override name = "AccountsUnavailable";
}

export function createHttpPatientDirectory(options: { url: string; routerSecrets: readonly string[]; timeoutMs?: number }): PatientDirectory {
  return {
    async exists(caller, patientId) {
      const requestId = caller.requestId || randomUUID();
      let res: Response;
      try {
        res = await fetch(options.url, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            [IDENTITY_HEADER]: await signIdentity({ userId: caller.userId, role: caller.role, requestId }, options.routerSecrets),
            [REQUEST_ID_HEADER]: requestId,
          },
          body: JSON.stringify({ query: "query($id: ID!) { patient(id: $id) { id } }", variables: { id: patientId } }),
          signal: AbortSignal.timeout(options.timeoutMs ?? 3_000),
        });
      } catch (err) {
        throw new AccountsUnavailable(`accounts unreachable: ${err instanceof Error ? err.message : String(err)}`);
      }
      const body = (await res.json().catch(() => ({}))) as { data?: { patient: { id: string } | null }; errors?: { extensions?: { code?: string } }[] };
      if (!res.ok || body.errors?.length || !body.data)
        throw new AccountsUnavailable(`accounts answered ${res.status}: ${body.errors?.[0]?.extensions?.code ?? "no data"}`);
      return body.data.patient !== null;
    },
  };
}
