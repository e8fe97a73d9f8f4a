/**
 * What clinical asks the accounts subgraph (its public GraphQL API, never its tables): whether a patient
 * exists, before reception registers a walk-in for them. Asked with the caller's own identity, signed like
 * the router signs it, so accounts applies its rules (and its audit) to the receptionist who asked.
 */
import { callSubgraphAs, type Identity } from "@clinigraph/platform";

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
      const data = await callSubgraphAs<{ patient: { id: string } | null }>({
        ...options,
        timeoutMs: options.timeoutMs ?? 3_000,
        caller,
        query: "query($id: ID!) { patient(id: $id) { id } }",
        variables: { id: patientId },
        unavailable: (message) => new AccountsUnavailable(`accounts ${message}`),
      });
      return data.patient !== null;
    },
  };
}
