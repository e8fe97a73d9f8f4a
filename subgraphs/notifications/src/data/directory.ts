/**
 * Public facts messages are written with, asked through the other subgraphs' GraphQL APIs (never their tables):
 * a doctor's name, time zone and location and a service's name from doctors; free times from scheduling.
 * Answers are kept for a few minutes (one lookup serves a whole batch of reminders); concurrent askers share one call.
 */
import { anonymous, callSubgraphAs } from "@clinigraph/platform";
import { DirectoryUnavailable, type Directory, type DoctorCard } from "../domain/ports.js";

export interface DirectoryOptions {
  doctorsUrl: string;
  schedulingUrl: string;
  routerSecrets: readonly string[];
  /** How long answers are kept (default 5 minutes). */
  ttlMs?: number;
  timeoutMs?: number;
  now?: () => number;
}

/** The longest window scheduling's availableSlots answers for. */
const SLOT_WINDOW_MS = 62 * 24 * 60 * 60_000;

export function createDirectory(options: DirectoryOptions): Directory {
  const ttlMs = options.ttlMs ?? 5 * 60_000;
  const now = options.now ?? Date.now;
  const cache = new Map<string, { at: number; value: Promise<unknown> }>();
  const remembered = <T>(key: string, load: () => Promise<T>): Promise<T> => {
    const hit = cache.get(key);
    if (hit && now() - hit.at < ttlMs) return hit.value as Promise<T>;
    const value = load();
    cache.set(key, { at: now(), value });
    value.catch(() => cache.delete(key)); // a failed lookup is asked again next time
    return value;
  };
  const call = <T>(url: string, service: string, query: string, variables: Record<string, unknown>) =>
    callSubgraphAs<T>({
      url,
      routerSecrets: options.routerSecrets,
      caller: anonymous(),
      query,
      variables,
      ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
      unavailable: (message) => new DirectoryUnavailable(`${service} ${message}`),
    });

  return {
    doctor: (doctorId) =>
      remembered(`doctor:${doctorId}`, async (): Promise<DoctorCard | null> => {
        const data = await call<{ doctor: DoctorCard | null }>(
          options.doctorsUrl,
          "doctors",
          "query NotificationsDoctor($id: ID!) { doctor(id: $id) { name timezone location } }",
          { id: doctorId },
        );
        return data.doctor;
      }),
    serviceName: (serviceId) =>
      remembered(`service:${serviceId}`, async () => {
        const data = await call<{ _entities: ({ name: string } | null)[] }>(
          options.doctorsUrl,
          "doctors",
          "query NotificationsService($r: [_Any!]!) { _entities(representations: $r) { ... on MedicalService { name } } }",
          { r: [{ __typename: "MedicalService", id: serviceId }] },
        );
        return data._entities[0]?.name ?? null;
      }),
    async freeStarts(doctorId, after, count) {
      try {
        const data = await call<{ availableSlots: { startsAt: string }[] }>(
          options.schedulingUrl,
          "scheduling",
          "query NotificationsAlternatives($filter: SlotFilter!, $first: Int) { availableSlots(filter: $filter, first: $first) { startsAt } }",
          { filter: { doctorId, from: after.toISOString(), to: new Date(after.getTime() + SLOT_WINDOW_MS).toISOString() }, first: count },
        );
        return data.availableSlots.slice(0, count).map((slot) => new Date(slot.startsAt));
      } catch (err) {
        if (err instanceof DirectoryUnavailable) return []; // the message says to pick another time in the app
        throw err;
      }
    },
    async sameSpecialtyFreeSlots(doctorId, after, count) {
      try {
        const specialty = await remembered(`specialty:${doctorId}`, async () => {
          const data = await call<{ doctor: { specialty: { code: string } } | null }>(
            options.doctorsUrl,
            "doctors",
            "query NotificationsSpecialty($id: ID!) { doctor(id: $id) { specialty { code } } }",
            { id: doctorId },
          );
          return data.doctor?.specialty.code ?? null;
        });
        if (!specialty) return [];
        // One more than asked: the doctor's own slots (none once deactivated) are left out.
        const data = await call<{ availableSlots: { startsAt: string; doctor: { id: string; name: string } }[] }>(
          options.schedulingUrl,
          "scheduling",
          "query NotificationsSpecialtySlots($filter: SlotFilter!, $first: Int) { availableSlots(filter: $filter, first: $first) { startsAt doctor { id name } } }",
          { filter: { specialty, from: after.toISOString(), to: new Date(after.getTime() + SLOT_WINDOW_MS).toISOString() }, first: count + 5 },
        );
        return data.availableSlots
          .filter((slot) => slot.doctor.id !== doctorId)
          .slice(0, count)
          .map((slot) => ({ startsAt: new Date(slot.startsAt), doctorName: slot.doctor.name }));
      } catch (err) {
        if (err instanceof DirectoryUnavailable) return []; // the message links to the booking page anyway
        throw err;
      }
    },
  };
}
