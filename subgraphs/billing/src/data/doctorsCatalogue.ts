/**
 * Medical services and doctors' consultation services, from the doctors subgraph's public GraphQL API (never its
 * tables), kept for a few minutes: invoices name each line's service.
 */
import { anonymous, callSubgraphAs, createTtlCache } from "@clinigraph/platform";
import { CatalogueUnavailable, type ServiceCatalogue } from "../domain/ports.js";
import type { ServiceCard } from "../domain/types.js";

const VISIT_KINDS = ["CONSULTATION", "CHECKUP", "PROCEDURE", "OPERATION"] as const;

export function createDoctorsCatalogue(options: { url: string; routerSecrets: readonly string[]; ttlMs?: number }): ServiceCatalogue {
  const remembered = createTtlCache(options.ttlMs ?? 5 * 60_000);
  const call = <T>(query: string, variables: Record<string, unknown>) =>
    callSubgraphAs<T>({
      url: options.url,
      routerSecrets: options.routerSecrets,
      caller: anonymous(),
      query,
      variables,
      unavailable: (m) => new CatalogueUnavailable(`doctors ${m}`),
    });
  return {
    service: (serviceId) =>
      remembered(`service:${serviceId}`, async () => {
        const data = await call<{ _entities: (ServiceCard | null)[] }>(
          "query BillingService($r: [_Any!]!) { _entities(representations: $r) { ... on MedicalService { id name kind } } }",
          { r: [{ __typename: "MedicalService", id: serviceId }] },
        );
        return data._entities[0] ?? null;
      }),
    consultationOf: (doctorId) =>
      remembered(`doctor:${doctorId}`, async () => {
        const data = await call<{ doctor: { services: ServiceCard[] } | null }>(
          "query BillingDoctor($id: ID!) { doctor(id: $id) { services { id name kind } } }",
          {
            id: doctorId,
          },
        );
        // The service a visit to the doctor is: a consultation, else a check-up (a GP's visit), else a procedure or
        // operation they offer — never an examination (those are billed as ordered, one line each).
        const services = data.doctor?.services ?? [];
        for (const kind of VISIT_KINDS) {
          const found = services.find((service) => service.kind === kind);
          if (found) return found;
        }
        return null;
      }),
  };
}
