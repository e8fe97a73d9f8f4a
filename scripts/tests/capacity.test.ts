import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "@jest/globals";
import { REPO_ROOT } from "@clinigraph/platform";
import { DEFAULT_LIMITS, DEFAULT_MIX, bottlenecks, operationRates, plan, type CapacityInputs } from "../lib/capacity.js";
import { costsFromBookingResults } from "../lib/capacityResults.js";

const inputs = JSON.parse(readFileSync(path.join(REPO_ROOT, "docs", "capacity-inputs.json"), "utf8")) as CapacityInputs;

/** Two services, round numbers: 1 ms of router and 3 ms of scheduling per booking, 2 events, 4 ms of PostgreSQL. */
const simple: CapacityInputs = {
  measured: "test",
  operations: {
    booking: { cpuMs: { router: 1, scheduling: 3 }, consumerCpuMs: { scheduling: 2 }, postgresMs: 4, replicaReadable: false, events: 2, source: "test" },
    search: { cpuMs: { router: 1, scheduling: 1 }, postgresMs: 1, replicaReadable: true, events: 0, source: "test" },
  },
  live: { routerCpuMsPerDelivery: 0.01, routerKbPerConnection: 5, deliveriesPerEvent: 3, source: "test" },
  redisBytesPerEvent: 1000,
  consumerGroupsPerEvent: 6,
};
const mix = { perUserHour: { booking: 3.6, search: 36 }, liveShare: 0.5 };

describe("capacity model", () => {
  it("turns the mix into operations per second", () => {
    expect(operationRates(1000, mix)).toEqual({ booking: 1, search: 10 });
  });

  it("sums each service's CPU over the operations, live deliveries on the router, and rounds replicas up at the target", () => {
    const p = plan(100_000, simple, mix, DEFAULT_LIMITS);
    // 100 bookings/s and 1,000 searches/s: scheduling 100 × 3 + 1000 × 1 ms = 1.3 cores; router 1.1 cores + 600 deliveries × 0.01 ms.
    const scheduling = p.services.find((s) => s.service === "scheduling")!;
    const router = p.services.find((s) => s.service === "router")!;
    expect(scheduling.cores).toBeCloseTo(1.3);
    expect(scheduling.replicas).toBe(Math.ceil(1.3 / 0.6));
    // Of which its one consumer process: 100 bookings/s × 2 ms.
    expect(scheduling.consumerCores).toBeCloseTo(0.2);
    expect(router.cores).toBeCloseTo(1.1 + 0.006);
    expect(p.eventsPerSecond).toBeCloseTo(200);
    expect(p.live).toMatchObject({ connections: 50_000, deliveriesPerSecond: 600 });
    // 50,000 sockets need three routers of 20,000 although the CPU needs two.
    expect(router).toMatchObject({ replicas: 3, boundBy: "connections" });
    expect(p.postgres.primaryCores).toBeCloseTo(0.4);
    expect(p.postgres.replicaCores).toBeCloseTo(1);
    // Each event: one XADD, a read and an ack per group, a live publish per feed.
    expect(p.redis.opsPerSecond).toBeCloseTo(200 * (1 + 12 + 3));
    expect(p.redis.streamMemoryMb).toBeCloseTo((200 * 24 * 3600 * 1000) / 1024 / 1024);
  });

  it("keeps two replicas of every service at small sizes, and needs read replicas only past one node", () => {
    const small = plan(100, simple, mix, DEFAULT_LIMITS);
    expect(small.services.every((s) => s.replicas === 2 && s.boundBy === "minimum")).toBe(true);
    expect(small.postgres).toMatchObject({ primaryNodes: 1, readReplicas: 0 });
    const huge = plan(10_000_000, simple, mix, DEFAULT_LIMITS);
    expect(huge.postgres.readReplicas).toBeGreaterThan(0);
  });

  it("finds where each single-node limit is reached, nearest first", () => {
    const found = bottlenecks(simple, mix, DEFAULT_LIMITS);
    expect(found.map((b) => b.users)).toEqual([...found.map((b) => b.users)].sort((a, b) => a - b));
    const primary = found.find((b) => b.resource.startsWith("PostgreSQL primary"))!;
    // 0.4 cores per 100,000 users on a 64-core node at 60 %.
    expect(primary.users).toBeCloseTo((64 * 0.6) / (0.4 / 100_000), -2);
    // The one consumer process of scheduling saturates at 80 % of its core: 0.2 cores per 100,000 users.
    const consumers = found.find((b) => b.resource.includes("event consumers of scheduling"))!;
    expect(consumers.users).toBeCloseTo(0.8 / (0.2 / 100_000), -2);
    const connections = found.find((b) => b.resource.startsWith("PostgreSQL connections"))!;
    expect(plan(connections.users, simple, mix, DEFAULT_LIMITS).postgres.connections).toBeGreaterThan(DEFAULT_LIMITS.postgresMaxConnections);
    expect(plan(connections.users * 0.99, simple, mix, DEFAULT_LIMITS).postgres.connections).toBeLessThanOrEqual(DEFAULT_LIMITS.postgresMaxConnections);
  });

  it("costs every operation of the default mix from the committed inputs", () => {
    for (const op of Object.keys(DEFAULT_MIX.perUserHour)) expect(inputs.operations[op]).toBeDefined();
    expect(() => plan(10_000, inputs)).not.toThrow();
    expect(() => plan(10, simple, { perUserHour: { refund: 1 }, liveShare: 0 })).toThrow(/refund/);
  });

  it("takes booking and search costs from a bench:booking result", () => {
    const processes = (rows: [string, string, number, number?][]) =>
      rows.map(([name, role, cpuMsPerRequest, cpuMsPerRequestWithEvents]) => ({ name, role, cpuMsPerRequest, cpuMsPerRequestWithEvents }));
    const updated = costsFromBookingResults(
      inputs,
      {
        commit: "abc123",
        baseline: {
          cpu: {
            processes: processes([
              ["router", "router", 1, 1.1],
              ["scheduling", "subgraph", 2, 2.5],
              ["bench (client)", "client", 9, 9],
              ["PostgreSQL backends", "database", 3, 3.2],
            ]),
          },
        },
        search: {
          concurrent: {
            cpu: {
              processes: processes([
                ["router", "router", 0.5],
                ["scheduling", "subgraph", 0.7],
                ["PostgreSQL backends", "database", 0.4],
              ]),
            },
          },
        },
      },
      "booking.json",
    );
    expect(updated.operations.booking).toMatchObject({ cpuMs: { router: 1.1, scheduling: 2.5 }, postgresMs: 3.2, events: 2 });
    expect(updated.operations.cancellation?.cpuMs).toEqual({ router: 1.1, scheduling: 2.5 });
    expect(updated.operations.search).toMatchObject({ cpuMs: { router: 0.5, scheduling: 0.7 }, postgresMs: 0.4, replicaReadable: true });
    expect(updated.measured).toContain("abc123");
    expect(() => costsFromBookingResults(inputs, {}, "empty.json")).toThrow(/no baseline/);
  });
});
