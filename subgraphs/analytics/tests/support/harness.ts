/**
 * Boots the real analytics subgraph on port 0 against a fresh test database and calls it as the router would.
 * Events arrive on an in-memory bus (`publish` waits until they are handled); the doctors subgraph is replaced by a
 * catalogue the test fills (`doctors`, `services`, `specialties`).
 */
import { createMemoryEventBus, type EventBus, type EventCatalogue, type EventType, type StreamName } from "@clinigraph/events";
import type { Role } from "@clinigraph/platform";
import { callSubgraph, createTestDatabase, publishAndSettle, TEST_ROUTER_SECRETS, type GraphQLResponse, type TestDatabase } from "@clinigraph/testing";
import { startAnalytics } from "../../src/index.js";
import type { Catalogue, DoctorSchedule } from "../../src/domain/ports.js";

export interface Harness {
  url: string;
  db: TestDatabase;
  call(query: string, caller?: { userId: string; role: Role }, variables?: Record<string, unknown>): Promise<GraphQLResponse>;
  /** Doctors the fake doctors subgraph knows, by id. */
  doctors: Map<string, { specialtyCode: string; location: string | null }>;
  /** Medical services the fake doctors subgraph knows, by id. */
  services: Map<string, { code: string; durationMinutes: number }>;
  /** Specialty codes the fake doctors subgraph knows, besides its doctors' (imports check theirs against them). */
  specialties: Set<string>;
  /** Doctors' schedules the fake doctors subgraph answers (offered time), by doctor id. */
  schedules: Map<string, DoctorSchedule>;
  clock: { now: Date };
  bus: EventBus;
  running: Awaited<ReturnType<typeof startAnalytics>>;
  /** Publishes events (handled by the subgraph's consumers) and waits until they are handled. */
  publish<T extends EventType>(stream: StreamName, events: { type: T; data: EventCatalogue[T]; id?: string; time?: string }[]): Promise<string[]>;
  stop(): Promise<void>;
}

export async function startHarness(options: { env?: Record<string, string> } = {}): Promise<Harness> {
  const db = await createTestDatabase(["analytics"]);
  const doctors: Harness["doctors"] = new Map();
  const services: Harness["services"] = new Map();
  const specialties: Harness["specialties"] = new Set();
  const schedules: Harness["schedules"] = new Map();
  const clock = { now: new Date("2027-03-01T09:00:00Z") };
  const catalogue: Catalogue = {
    doctor: async (id) => doctors.get(id) ?? null,
    service: async (id) => services.get(id) ?? null,
    specialtyCodes: async () => new Set([...specialties, ...[...doctors.values()].map((d) => d.specialtyCode)]),
    servicesByCode: async () => new Map([...services].map(([id, s]) => [s.code, { id, durationMinutes: s.durationMinutes }])),
    schedule: async (id) => schedules.get(id) ?? null,
    doctorIds: async () => [...schedules.keys()],
  };
  const bus = createMemoryEventBus();
  const running = await startAnalytics(
    {
      DATABASE_URL: db.url,
      CLINIGRAPH_ROUTER_SECRETS: TEST_ROUTER_SECRETS.join(","),
      ANALYTICS_PORT: "0",
      ANALYTICS_MIN_CELL: "1",
      LOG_LEVEL: "silent",
      ...options.env,
    },
    { catalogue, bus, clock: () => clock.now, jobs: false },
  );
  return {
    url: running.url,
    db,
    doctors,
    services,
    specialties,
    schedules,
    clock,
    bus,
    running,
    call: (query, caller, variables = {}) => callSubgraph(running.url, query, variables, caller ?? { userId: null, role: null }),
    publish: (stream, events) => publishAndSettle(bus, running.workers.consumers, stream, events, clock.now),
    async stop() {
      await running.close();
      await db.drop();
    },
  };
}
