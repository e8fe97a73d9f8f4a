/**
 * What scheduling asks the accounts subgraph (its public GraphQL API, never its tables): whether a user id
 * is a patient, before staff book, overbook or otherwise act for a patient they name. Asked with the
 * caller's own identity, signed like the router signs it, so accounts applies its rules (and its audit)
 * to the receptionist or administrator who asked. `patient(id)` is null both for an unknown id and for a
 * staff user's id.
 */
import { callSubgraphAs, type Identity } from "@clinigraph/platform";

export interface PatientDirectory {
  /** true when accounts knows a patient with this id. Throws AccountsUnavailable when accounts does not answer. */
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
