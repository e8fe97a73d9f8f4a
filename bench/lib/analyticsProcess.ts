/**
 * A child process of a benchmark: one analytics instance as a deployment runs it, `startAnalytics(env)` with its events
 * on Redis (REDIS_URL, EVENTS_NAMESPACE): its consumers (appointments, clinical, billing, doctors), its outbox relay and
 * its GraphQL server. Only the doctors client is replaced (`options.catalogue`), by a stand-in that knows the doctors
 * and services given to `start`: the real client asks the doctors subgraph once per doctor and service and keeps the
 * answer for 5 minutes, so over a run it weighs next to nothing. The stand-in lists no doctors, so the sweep of offered
 * time has nothing to do.
 *
 * Methods (see `children.ts`): `start(env, catalogue)` → `{ url }` (the consumers run once it answers),
 * `startProfile()` and `stopProfile(file)` (a V8 CPU profile of this process, written to `file`), and `mark`/`usage`;
 * `stop` closes the instance as its main would.
 */
import { writeFile } from "node:fs/promises";
import { Session } from "node:inspector/promises";
import { startAnalytics, type StartAnalyticsOptions } from "@clinigraph/analytics";
import { serveParent } from "./children.js";

type Catalogue = NonNullable<StartAnalyticsOptions["catalogue"]>;

/** What the stand-in catalogue knows. */
export interface IngestCatalogue {
  doctors: { id: string; specialtyCode: string; location: string | null }[];
  services: { id: string; code: string; durationMinutes: number }[];
}

function standIn(known: IngestCatalogue): Catalogue {
  const doctors = new Map(known.doctors.map((d) => [d.id, { specialtyCode: d.specialtyCode, location: d.location }]));
  const services = new Map(known.services.map((s) => [s.id, { code: s.code, durationMinutes: s.durationMinutes }]));
  return {
    doctor: async (doctorId) => doctors.get(doctorId) ?? null,
    service: async (serviceId) => services.get(serviceId) ?? null,
    specialtyCodes: async () => new Set(known.doctors.map((d) => d.specialtyCode)),
    servicesByCode: async () => new Map(known.services.map((s) => [s.code, { id: s.id, durationMinutes: s.durationMinutes }])),
    schedule: async () => null,
    doctorIds: async () => [],
  };
}

let running: Awaited<ReturnType<typeof startAnalytics>> | undefined;
let profiler: Session | undefined;

serveParent({
  async start(env: Record<string, string>, catalogue: IngestCatalogue) {
    running = await startAnalytics(env, { catalogue: standIn(catalogue) });
    return { url: running.url };
  },

  async startProfile() {
    profiler = new Session();
    profiler.connect();
    await profiler.post("Profiler.enable");
    await profiler.post("Profiler.setSamplingInterval", { interval: 500 });
    await profiler.post("Profiler.start");
  },

  async stopProfile(file: string) {
    if (!profiler) return;
    const { profile } = await profiler.post("Profiler.stop");
    profiler.disconnect();
    profiler = undefined;
    await writeFile(file, JSON.stringify(profile));
  },

  async stop() {
    await running?.close();
  },
});
