/**
 * Boots the real billing subgraph on port 0 against a fresh test database and calls it as the router would. Events
 * arrive on an in-memory bus (`publish` waits until they are handled); the doctors subgraph is replaced by a
 * catalogue the test fills (`services`, `consultations`); the clock is the test's (`clock.now`).
 */
import { createMemoryEventBus, type EventBus, type EventCatalogue, type EventType, type StreamName } from "@clinigraph/events";
import type { Role } from "@clinigraph/platform";
import { callSubgraph, createTestDatabase, publishAndSettle, TEST_ROUTER_SECRETS, type GraphQLResponse, type TestDatabase } from "@clinigraph/testing";
import { startBilling } from "../../src/index.js";
import type { ServiceCatalogue } from "../../src/domain/ports.js";
import type { ServiceCard } from "../../src/domain/types.js";

export interface Harness {
  url: string;
  db: TestDatabase;
  call(query: string, caller?: { userId: string; role: Role }, variables?: Record<string, unknown>): Promise<GraphQLResponse>;
  /** Medical services the fake doctors subgraph knows, by id. */
  services: Map<string, ServiceCard>;
  /** Each doctor's consultation service, by doctor id. */
  consultations: Map<string, ServiceCard>;
  clock: { now: Date };
  bus: EventBus;
  running: Awaited<ReturnType<typeof startBilling>>;
  /** Publishes events (handled by the subgraph's consumers) and waits until they are handled. */
  publish<T extends EventType>(stream: StreamName, events: { type: T; data: EventCatalogue[T]; id?: string; time?: string }[]): Promise<string[]>;
  stop(): Promise<void>;
}

export async function startHarness(options: { env?: Record<string, string>; now?: Date } = {}): Promise<Harness> {
  const db = await createTestDatabase(["billing"]);
  const services = new Map<string, ServiceCard>();
  const consultations = new Map<string, ServiceCard>();
  const clock = { now: options.now ?? new Date("2027-03-01T09:00:00Z") };
  const catalogue: ServiceCatalogue = {
    service: async (id) => services.get(id) ?? null,
    consultationOf: async (doctorId) => consultations.get(doctorId) ?? null,
  };
  const bus = createMemoryEventBus();
  const running = await startBilling(
    { DATABASE_URL: db.url, CLINIGRAPH_ROUTER_SECRETS: TEST_ROUTER_SECRETS.join(","), BILLING_PORT: "0", LOG_LEVEL: "silent", ...options.env },
    { catalogue, bus, clock: () => clock.now },
  );
  return {
    url: running.url,
    db,
    services,
    consultations,
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
