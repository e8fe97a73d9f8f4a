/**
 * Scheduling's /metrics (ADR 24) after real work: the whole subgraph as `pnpm start` runs it (startScheduling) on a
 * test database, with its events on Redis under a namespace of its own. A booking is counted by operation type and
 * top-level field, its outbox rows are published, and the live bridge's consumer group shows lag while the bridge is
 * off and none once it caught up. Label values stay bounded whatever callers send.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { randomUUID } from "node:crypto";
import { parse, type ObjectTypeDefinitionNode } from "graphql";
import { readFileSync } from "node:fs";
import { STREAMS } from "@clinigraph/events";
import {
  callSubgraph,
  createTestDatabase,
  queryDatabase,
  sampleValue,
  scrape,
  scrapeUntil,
  testEnv,
  type Exposition,
  type TestDatabase,
} from "@clinigraph/testing";
import { startScheduling } from "../src/index.js";
import { syncDoctor } from "../src/domain/syncDoctor.js";
import { FakeClock } from "./support/clock.js";
import { FakeDoctorsClient } from "./support/fakeDoctors.js";
import { FakePatientDirectory } from "./support/fakePatients.js";
import { at, doctorSnapshot, newPatient } from "./support/factories.js";
import { REQUEST } from "./support/operations.js";

const namespace = `metrics-${randomUUID().slice(0, 8)}:`;
const appointments = `${namespace}${STREAMS.appointments}`;
let db: TestDatabase;
let running: Awaited<ReturnType<typeof startScheduling>>;
let metricsUrl: string;
const doctors = new FakeDoctorsClient();

beforeAll(async () => {
  db = await createTestDatabase(["scheduling"]);
  running = await startScheduling(
    {
      ...testEnv(db.url),
      SCHEDULING_PORT: "0",
      REDIS_URL: process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379",
      EVENTS_NAMESPACE: namespace,
      LOG_LEVEL: "silent",
    },
    { clock: new FakeClock().now, doctors, patients: new FakePatientDirectory(), jobs: false },
  );
  metricsUrl = running.url.replace(/\/graphql$/, "/metrics");
});

afterAll(async () => {
  await running?.close();
  await db?.drop();
});

/** A doctor with slots, and the id of their free slot at `local` (Berlin time). */
async function doctorWithSlot(local: string) {
  const snapshot = doctorSnapshot({ autoApprove: true });
  doctors.put(snapshot);
  await syncDoctor(running.deps, snapshot);
  const [slot] = await queryDatabase<{ id: string }>(db.url, "SELECT id FROM scheduling.slots WHERE doctor_id = $1 AND starts_at = $2", [
    snapshot.id,
    at(local),
  ]);
  return { doctorId: snapshot.id, slotId: slot!.id, serviceId: snapshot.serviceIds[0]! };
}

const bridgeGroup = { stream: appointments, group: "scheduling-live" };
const value = (e: Exposition, name: string, labels: Record<string, string> = {}) => sampleValue(e, name, { service: "scheduling", ...labels }) ?? 0;

describe("scheduling's /metrics", () => {
  it("counts a booking, publishes its outbox rows, and shows the live bridge's lag until it caught up", async () => {
    await running.bridge.stop(); // events wait in the stream: the group falls behind
    const before = await scrape(metricsUrl);
    const { slotId, serviceId } = await doctorWithSlot("2026-03-04T10:00");

    const res = await callSubgraph(running.url, REQUEST, { input: { slotId, serviceId } }, newPatient());
    expect(res.errors).toBeUndefined();
    const events = await queryDatabase<{ count: number }>(db.url, "SELECT count(*)::int AS count FROM scheduling.outbox");
    const written = events[0]!.count; // AppointmentRequested and AppointmentBooked
    expect(written).toBe(2);

    // The relay publishes on the outbox's NOTIFY; the bridge, stopped, leaves them undelivered.
    const behind = await scrapeUntil(metricsUrl, (e) => value(e, "clinigraph_outbox_published_total", { outbox: "scheduling" }) === written);
    expect(value(behind, "clinigraph_outbox_unpublished_events", { outbox: "scheduling" })).toBe(0);
    expect(value(behind, "clinigraph_outbox_oldest_unpublished_age_seconds", { outbox: "scheduling" })).toBe(0);
    const lagging = await scrapeUntil(metricsUrl, (e) => value(e, "clinigraph_events_consumer_lag", bridgeGroup) === written);
    expect(value(lagging, "clinigraph_events_consumer_pending", bridgeGroup)).toBe(0);

    const mutation = { operation_type: "mutation", root_field: "requestAppointment" };
    const delta = (e: Exposition, name: string, labels: Record<string, string>) => value(e, name, labels) - value(before, name, labels);
    expect(delta(lagging, "clinigraph_subgraph_requests_total", { operation_type: "mutation", status: "success" })).toBe(1);
    expect(delta(lagging, "clinigraph_subgraph_root_fields_total", { ...mutation, status: "success" })).toBe(1);
    expect(delta(lagging, "clinigraph_subgraph_root_field_duration_seconds_count", mutation)).toBe(1);
    expect(delta(lagging, "clinigraph_subgraph_request_duration_seconds_count", { operation_type: "mutation" })).toBe(1);

    running.bridge.start();
    await running.bridge.idle();
    const caughtUp = await scrapeUntil(metricsUrl, (e) => value(e, "clinigraph_events_consumer_lag", bridgeGroup) === 0);
    expect(value(caughtUp, "clinigraph_events_consumer_pending", bridgeGroup)).toBe(0);
    expect(delta(caughtUp, "clinigraph_events_handled_total", bridgeGroup)).toBe(written);
    expect(value(caughtUp, "clinigraph_events_dead_letter_entries", bridgeGroup)).toBe(0);
    expect(value(caughtUp, "clinigraph_events_dead_lettered_total", bridgeGroup)).toBe(0);
  });

  it("reports readiness, both connection pools and the process, every series labelled with the service", async () => {
    const e = await scrape(metricsUrl);
    expect(value(e, "clinigraph_subgraph_ready")).toBe(1);
    expect(value(e, "clinigraph_pg_pool_max_connections", { pool: "main" })).toBe(4); // DATABASE_POOL_SIZE of testEnv
    // The relay's own: its LISTEN connection (its rounds borrow from the main pool).
    expect(value(e, "clinigraph_pg_pool_max_connections", { pool: "outbox_relay" })).toBe(1);
    expect(value(e, "clinigraph_pg_pool_connections", { pool: "main" })).toBeGreaterThan(0);
    expect(value(e, "process_cpu_user_seconds_total")).toBeGreaterThan(0);
    expect(value(e, "nodejs_heap_size_used_bytes")).toBeGreaterThan(0);
    expect(e.samples.filter((s) => s.labels.service !== "scheduling")).toEqual([]);
    // Every consumer group scheduling runs is reported (its own bridge, clinical's and doctors' events, the catalogue's).
    const groups = new Set(e.samples.filter((s) => s.name === "clinigraph_events_handled_total").map((s) => s.labels.group));
    expect([...groups].sort()).toEqual(["scheduling-catalogue", "scheduling-clinical", "scheduling-doctor-status", "scheduling-doctors", "scheduling-live"]);
  });

  it("counts errors by top-level field and code: bad input, an unsigned caller", async () => {
    const before = await scrape(metricsUrl);
    const bad = await callSubgraph(running.url, REQUEST, { input: { slotId: "not-an-id" } }, newPatient());
    const code = bad.errors?.[0]?.extensions?.code;
    expect(code).toBeDefined();
    const unsigned = await callSubgraph(running.url, "{ __typename }", {}, "unsigned");
    expect(unsigned.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    const after = await scrape(metricsUrl);
    const delta = (name: string, labels: Record<string, string>) => value(after, name, labels) - value(before, name, labels);
    expect(delta("clinigraph_subgraph_errors_total", { operation_type: "mutation", root_field: "requestAppointment", code: code! })).toBe(1);
    expect(delta("clinigraph_subgraph_root_fields_total", { operation_type: "mutation", root_field: "requestAppointment", status: "error" })).toBe(1);
    expect(delta("clinigraph_subgraph_errors_total", { operation_type: "unknown", root_field: "unknown", code: "UNAUTHENTICATED" })).toBe(1);
    expect(delta("clinigraph_subgraph_requests_total", { operation_type: "unknown", status: "error" })).toBe(1);
  });

  it("keeps label values to the schema's field names and fixed words, whatever operation names, aliases or ids callers send", async () => {
    const caller = newPatient();
    const tag = () => `x${randomUUID().replace(/-/g, "")}`;
    const variety = async () => {
      for (let i = 0; i < 5; i++) {
        await callSubgraph(running.url, `query ${tag()} { ${tag()}: myWaitlist { id } }`, {}, caller);
        await callSubgraph(running.url, `query { ${tag()} }`, {}, caller); // no such field: fails validation
        await callSubgraph(running.url, `{ appointment(id: "${randomUUID()}") { id } }`, {}, caller);
        await callSubgraph(running.url, `fragment F on Query { ${tag()}: myWaitlist { id } } query { ...F ... on Query { __typename } }`, {}, caller);
        await callSubgraph(running.url, `{ ${tag()}`, {}, caller); // does not parse
      }
    };
    const series = (e: Exposition) => new Set(e.samples.filter((s) => s.name.startsWith("clinigraph_")).map((s) => `${s.name}${JSON.stringify(s.labels)}`));

    await variety();
    const first = await scrape(metricsUrl);
    await variety();
    const second = await scrape(metricsUrl);
    expect([...series(second)].filter((s) => !series(first).has(s))).toEqual([]); // the same calls again: no new series

    const schema = parse(readFileSync(new URL("../src/schema.graphql", import.meta.url), "utf8"));
    const rootFields = schema.definitions
      .filter((d): d is ObjectTypeDefinitionNode => "name" in d && ["Query", "Mutation", "Subscription"].includes(d.name?.value ?? ""))
      .flatMap((d) => (d.fields ?? []).map((f) => f.name.value));
    const allowed = new Set([...rootFields, "_entities", "_service", "__typename", "__schema", "__type", "unknown"]);
    const labelled = second.samples.filter((s) => s.labels.root_field !== undefined).map((s) => s.labels.root_field!);
    expect(labelled).toContain("myWaitlist");
    expect(labelled).toContain("__typename");
    expect(labelled.filter((field) => !allowed.has(field))).toEqual([]);
    for (const sample of second.samples)
      for (const label of Object.values(sample.labels)) expect(label).not.toMatch(/^x[0-9a-f]{32}$|[0-9a-f]{8}-[0-9a-f]{4}-/);
  });
});
