/**
 * What clinical needs from the doctors subgraph, through its public GraphQL API (never its tables): which
 * accounts user a doctor is (for walk-ins; check-ins carry it in the event) and which medical services
 * exist (examinations are ordered from the catalogue, and not once retired: the status is read with the service). Called with a router-signed system identity.
 */
import { anonymous, callSubgraphAs } from "@clinigraph/platform";
import { DoctorsUnavailable, type DoctorsClient, type MedicalServiceRef } from "../domain/ports.js";

export { DoctorsUnavailable, type DoctorRef, type DoctorsClient, type MedicalServiceRef } from "../domain/ports.js";

export function createHttpDoctorsClient(options: { url: string; routerSecrets: readonly string[]; timeoutMs?: number }): DoctorsClient {
  const call = <T>(query: string, variables: Record<string, unknown>) =>
    callSubgraphAs<T>({ ...options, caller: anonymous(), query, variables, unavailable: (message) => new DoctorsUnavailable(`doctors ${message}`) });
  return {
    async doctor(id) {
      const data = await call<{ doctor: { id: string; user: { id: string } | null } | null }>(`query($id: ID!) { doctor(id: $id) { id user { id } } }`, { id });
      return data.doctor ? { id: data.doctor.id, userId: data.doctor.user?.id ?? null } : null;
    },
    async service(id) {
      // The one service by its federation key, not the whole catalogue per order.
      const data = await call<{ _entities: (MedicalServiceRef | null)[] }>(
        `query($r: [_Any!]!) { _entities(representations: $r) { ... on MedicalService { id code kind status } } }`,
        { r: [{ __typename: "MedicalService", id }] },
      );
      return data._entities[0] ?? null;
    },
  };
}
