/**
 * What a subgraph asks the accounts subgraph (its public GraphQL API, never its tables) before staff act for
 * a patient they name (clinical: a walk-in; scheduling: a booking or overbooking for a patient): is this id a
 * patient? Asked with the caller's own identity, signed like the router signs it, so accounts applies its
 * rules (and its audit) to the receptionist or administrator who asked. `patient(id)` is null both for an
 * unknown id and for a staff user's id.
 */
import { callSubgraphAs } from "./subgraphCall.js";
import type { Identity } from "./identity.js";

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
