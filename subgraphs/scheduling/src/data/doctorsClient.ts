/**
 * The documented boundary to the doctors subgraph: scheduling reads doctors' public GraphQL API
 * (never its tables), calling the subgraph directly with a router-signed anonymous identity — doctor
 * profiles, schedules and time off are public data.
 */
import { randomUUID } from "node:crypto";
import { anonymous, callSubgraphAs } from "@clinigraph/platform";
import type { DoctorSnapshot, DoctorsClient } from "../domain/ports.js";
import type { WeeklyRule } from "@clinigraph/platform/slots";

export type { DoctorSnapshot, DoctorsClient } from "../domain/ports.js";

export class DoctorsUnavailable extends Error {
  override name = "DoctorsUnavailable";
}

const FIELDS = `id name timezone autoApprove active location user { id } specialty { code } services { id }
  weeklySchedule { dayOfWeek startTime endTime slotMinutes } timeOff { from to }
  upcomingSchedules { from rules { dayOfWeek startTime endTime slotMinutes } } extraHours { from to slotMinutes }`;

interface RawDoctor {
  id: string;
  name: string;
  timezone: string;
  autoApprove: boolean;
  active: boolean;
  location: string | null;
  user: { id: string } | null;
  specialty: { code: string };
  services: { id: string }[];
  weeklySchedule: WeeklyRule[];
  timeOff: { from: string; to: string }[];
  upcomingSchedules: { from: string; rules: WeeklyRule[] }[];
  extraHours: { from: string; to: string; slotMinutes: number }[];
}

const toSnapshot = (d: RawDoctor): DoctorSnapshot => ({
  id: d.id,
  userId: d.user?.id ?? null,
  name: d.name,
  timezone: d.timezone,
  autoApprove: d.autoApprove,
  specialtyCode: d.specialty.code,
  location: d.location,
  serviceIds: d.services.map((s) => s.id),
  rules: d.weeklySchedule,
  timeOff: d.timeOff,
  active: d.active,
  upcoming: d.upcomingSchedules,
  extraHours: d.extraHours.map(({ from, to, slotMinutes }) => ({ from, to, slotMinutes })),
});

export function createHttpDoctorsClient(options: { url: string; routerSecrets: readonly string[]; timeoutMs?: number }): DoctorsClient {
  const call = <T>(query: string, variables: Record<string, unknown>) =>
    callSubgraphAs<T>({
      ...options,
      caller: anonymous(randomUUID()),
      query,
      variables,
      unavailable: (message) => new DoctorsUnavailable(`doctors subgraph ${message}`),
    });

  return {
    async fetchDoctor(id) {
      const data = await call<{ _entities: (RawDoctor | null)[] }>(`query($r: [_Any!]!) { _entities(representations: $r) { ... on Doctor { ${FIELDS} } } }`, {
        r: [{ __typename: "Doctor", id }],
      });
      const doctor = data._entities[0];
      return doctor ? toSnapshot(doctor) : null;
    },
    async serviceStatus(serviceId) {
      // The service by its federation key (a retired one stays readable so).
      const data = await call<{ _entities: ({ status: "ACTIVE" | "RETIRED" } | null)[] }>(
        `query($r: [_Any!]!) { _entities(representations: $r) { ... on MedicalService { status } } }`,
        { r: [{ __typename: "MedicalService", id: serviceId }] },
      );
      return data._entities[0]?.status ?? null;
    },
    async *fetchAllDoctors() {
      let after: string | null = null;
      for (;;) {
        const data: { doctors: { edges: { node: RawDoctor }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } } = await call(
          `query($after: String) { doctors(first: 100, after: $after) { edges { node { ${FIELDS} } } pageInfo { hasNextPage endCursor } } }`,
          { after },
        );
        for (const edge of data.doctors.edges) yield toSnapshot(edge.node);
        if (!data.doctors.pageInfo.hasNextPage) return;
        after = data.doctors.pageInfo.endCursor;
      }
    },
  };
}
