/**
 * A service's metrics registry (metrics.ts): scrape-time samples that load only when scraped, are reused for a
 * moment, never pile up and never hold a scrape longer than their time box; pool gauges; the service label; and the
 * top-level fields graphqlMetrics.ts labels requests with.
 */
import { afterEach, beforeEach, describe, expect, it, jest } from "@jest/globals";
import { parse, type OperationDefinitionNode } from "graphql";
import { createServiceMetrics, rootFieldsOf } from "../src/index.js";

/** `name{labels} value` lines of the exposition, for exact assertions. */
const lines = async (metrics: ReturnType<typeof createServiceMetrics>, prefix: string) =>
  (await metrics.text()).split("\n").filter((line) => line.startsWith(prefix));

describe("sampled values", () => {
  beforeEach(() => void jest.useFakeTimers());
  afterEach(() => void jest.useRealTimers());

  it("loads only when asked, reuses a load for maxAgeMs, then loads again", async () => {
    const metrics = createServiceMetrics("test");
    let loads = 0;
    const sample = metrics.sampled("count", async () => ++loads, { maxAgeMs: 1_000 });
    expect(loads).toBe(0);
    expect(await sample()).toBe(1);
    expect(await sample()).toBe(1);
    await jest.advanceTimersByTimeAsync(999);
    expect(await sample()).toBe(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(await sample()).toBe(2);
  });

  it("gives up on a slow load after timeoutMs (counted as a failure) without starting a second one beside it", async () => {
    const metrics = createServiceMetrics("test");
    let finish: (value: number) => void = () => undefined;
    let loads = 0;
    const sample = metrics.sampled(
      "slow",
      () => {
        loads++;
        return new Promise<number>((resolve) => (finish = resolve));
      },
      { timeoutMs: 2_000 },
    );
    const first = sample();
    await jest.advanceTimersByTimeAsync(2_000);
    expect(await first).toBeUndefined();
    const second = sample(); // the first load is still running: this scrape waits for it, it does not start another
    expect(loads).toBe(1);
    finish(7);
    expect(await second).toBe(7);
    expect(await lines(metrics, "clinigraph_metrics_sample_failures_total")).toEqual([
      'clinigraph_metrics_sample_failures_total{sample="slow",service="test"} 1',
    ]);
  });

  it("answers undefined for a load that fails, and counts it", async () => {
    const metrics = createServiceMetrics("test");
    const sample = metrics.sampled("broken", () => Promise.reject(new Error("database gone")));
    expect(await sample()).toBeUndefined();
    expect(await lines(metrics, "clinigraph_metrics_sample_failures_total")).toEqual([
      'clinigraph_metrics_sample_failures_total{sample="broken",service="test"} 1',
    ]);
  });
});

describe("a service's registry", () => {
  it("labels every series with the service and carries the process metrics", async () => {
    const metrics = createServiceMetrics("scheduling");
    metrics.counter({ name: "clinigraph_test_total", help: "test" }).inc();
    const text = await metrics.text();
    expect(text).toContain('clinigraph_test_total{service="scheduling"} 1');
    expect(text).toMatch(/^process_cpu_user_seconds_total\{service="scheduling"\} /m);
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds\{service="scheduling"\} /m);
    // Two services in one process: each its own registry, the same process metrics.
    expect(await createServiceMetrics("doctors").text()).toMatch(/^process_cpu_user_seconds_total\{service="doctors"\} /m);
    expect(metrics.counter({ name: "clinigraph_test_total", help: "test" })).toBe(metrics.registry.getSingleMetric("clinigraph_test_total"));
  });

  it("reports each observed pool's connections, and no longer an ended one", async () => {
    const metrics = createServiceMetrics("test");
    const main = { totalCount: 3, idleCount: 1, waitingCount: 2, options: { max: 10 }, ended: false };
    metrics.observePool("main", main);
    metrics.observePool("outbox_relay", { totalCount: 1, idleCount: 0, waitingCount: 0, options: { max: 2 } });
    expect(await lines(metrics, "clinigraph_pg_pool_")).toEqual([
      'clinigraph_pg_pool_connections{pool="main",service="test"} 3',
      'clinigraph_pg_pool_connections{pool="outbox_relay",service="test"} 1',
      'clinigraph_pg_pool_idle_connections{pool="main",service="test"} 1',
      'clinigraph_pg_pool_idle_connections{pool="outbox_relay",service="test"} 0',
      'clinigraph_pg_pool_waiting_clients{pool="main",service="test"} 2',
      'clinigraph_pg_pool_waiting_clients{pool="outbox_relay",service="test"} 0',
      'clinigraph_pg_pool_max_connections{pool="main",service="test"} 10',
      'clinigraph_pg_pool_max_connections{pool="outbox_relay",service="test"} 2',
    ]);
    main.ended = true;
    expect((await lines(metrics, "clinigraph_pg_pool_connections")).join()).not.toContain('pool="main"');
  });
});

describe("rootFieldsOf", () => {
  const fieldsOf = (source: string, name?: string) => {
    const document = parse(source);
    const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === "OperationDefinition" && (!name || d.name?.value === name))!;
    return Object.fromEntries(rootFieldsOf(document, operation));
  };

  it("maps each response key to its field's name, aliases resolved, fragments followed once", () => {
    expect(fieldsOf("{ a: doctors { id } doctors { id } __typename }")).toEqual({ a: "doctors", doctors: "doctors", __typename: "__typename" });
    expect(
      fieldsOf(`query Q { ...F ... on Query { b: services { id } ... on Query { slots } } }
                fragment F on Query { c: doctors { id } ...F }`),
    ).toEqual({ c: "doctors", b: "services", slots: "slots" });
    expect(fieldsOf("query A { one } query B { two: three }", "B")).toEqual({ two: "three" });
  });
});
