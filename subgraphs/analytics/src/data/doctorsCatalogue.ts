/**
 * Doctors' specialties and locations and services' codes, from the doctors subgraph's public GraphQL API (never its
 * tables), kept for a few minutes: facts are broken down by them. The lists of specialty and service codes check
 * imported visits (retired ones included: a past visit may name a service retired since).
 */
import { anonymous, callSubgraphAs, createTtlCache } from "@clinigraph/platform";
import type { WeeklyRule } from "@clinigraph/platform/slots";
import { CatalogueUnavailable, type Catalogue } from "../domain/ports.js";
import { scheduleFrom } from "../domain/supply.js";

export function createDoctorsCatalogue(options: { url: string; routerSecrets: readonly string[]; ttlMs?: number }): Catalogue {
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
    doctor: (doctorId) =>
      remembered(`doctor:${doctorId}`, async () => {
        const data = await call<{ doctor: { specialty: { code: string }; location: string | null } | null }>(
          "query AnalyticsDoctor($id: ID!) { doctor(id: $id) { specialty { code } location } }",
          { id: doctorId },
        );
        return data.doctor ? { specialtyCode: data.doctor.specialty.code, location: data.doctor.location } : null;
      }),
    service: (serviceId) =>
      remembered(`service:${serviceId}`, async () => {
        const data = await call<{ _entities: ({ code: string; durationMinutes: number } | null)[] }>(
          "query AnalyticsService($r: [_Any!]!) { _entities(representations: $r) { ... on MedicalService { code durationMinutes } } }",
          { r: [{ __typename: "MedicalService", id: serviceId }] },
        );
        return data._entities[0] ?? null;
      }),
    specialtyCodes: () =>
      remembered("specialties", async () => {
        const data = await call<{ specialties: { code: string }[] }>("query AnalyticsSpecialties { specialties(includeRetired: true) { code } }", {});
        return new Set(data.specialties.map((s) => s.code));
      }),
    servicesByCode: () =>
      remembered("services", async () => {
        const data = await call<{ medicalServices: { id: string; code: string; durationMinutes: number }[] }>(
          "query AnalyticsServices { medicalServices(includeRetired: true) { id code durationMinutes } }",
          {},
        );
        return new Map(data.medicalServices.map((s) => [s.code, { id: s.id, durationMinutes: s.durationMinutes }]));
      }),
    async schedule(doctorId) {
      const data = await call<{
        doctor: {
          timezone: string;
          location: string | null;
          specialty: { code: string };
          weeklySchedule: WeeklyRule[];
          timeOff: { from: string; to: string }[];
          active: boolean;
          upcomingSchedules: { from: string; rules: WeeklyRule[] }[];
          extraHours: { from: string; to: string; slotMinutes: number }[];
        } | null;
      }>(
        "query AnalyticsSchedule($id: ID!) { doctor(id: $id) { timezone location specialty { code } weeklySchedule { dayOfWeek startTime endTime slotMinutes } timeOff { from to } active upcomingSchedules { from rules { dayOfWeek startTime endTime slotMinutes } } extraHours { from to slotMinutes } } }",
        { id: doctorId },
      );
      const doctor = data.doctor;
      return doctor
        ? scheduleFrom({
            timezone: doctor.timezone,
            specialtyCode: doctor.specialty.code,
            location: doctor.location,
            rules: doctor.weeklySchedule,
            timeOff: doctor.timeOff,
            upcoming: doctor.upcomingSchedules,
            extraHours: doctor.extraHours,
            active: doctor.active,
          })
        : null;
    },
    async doctorIds() {
      const ids: string[] = [];
      for (let after: string | null = null; ;) {
        const data: { doctors: { edges: { node: { id: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } } = await call(
          "query AnalyticsDoctors($after: String) { doctors(first: 100, after: $after) { edges { node { id } } pageInfo { hasNextPage endCursor } } }",
          { after },
        );
        ids.push(...data.doctors.edges.map((edge) => edge.node.id));
        if (!data.doctors.pageInfo.hasNextPage || !data.doctors.pageInfo.endCursor) return ids;
        after = data.doctors.pageInfo.endCursor;
      }
    },
  };
}
