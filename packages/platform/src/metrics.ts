/**
 * Prometheus metrics of one service (a subgraph), served on its own port at `/metrics` by `createSubgraphServer`.
 * ADR 24 has the names, the labels and why they are bounded.
 *
 * - One registry per service, every series labelled `service="<name>"` (the router's series carry no such label:
 *   Prometheus adds it to the router's target, deploy/observability/prometheus/prometheus.yml). Several subgraphs in
 *   one process (`pnpm start`) each serve their own registry.
 * - Process metrics (prom-client's default metrics: CPU, memory, event-loop lag, GC) are collected once per process
 *   and registered in every service's registry.
 * - Gauges that need a query (outbox backlog, consumer lag, readiness) read a `sampled` value: loaded when a scrape
 *   asks for it, never in between; one load at a time, reused for `maxAgeMs`; a scrape waits for it at most
 *   `timeoutMs`, then reports those gauges absent and counts the failure in
 *   `clinigraph_metrics_sample_failures_total{sample}` (the load goes on, and a later scrape may use its result).
 * - Metric names and label values are the code's, never a caller's: no ids, no free text.
 */
import {
  Counter,
  Gauge,
  Histogram,
  Registry,
  collectDefaultMetrics,
  type CounterConfiguration,
  type GaugeConfiguration,
  type HistogramConfiguration,
  type Metric,
} from "prom-client";

/** A node-postgres pool as the pool gauges read it (pg.Pool). */
export interface ObservablePool {
  readonly totalCount: number;
  readonly idleCount: number;
  readonly waitingCount: number;
  readonly ended?: boolean;
  readonly options?: { max?: number };
}

export interface SampleOptions {
  /** A loaded value is reused this long (default 1 s: scrapes at once, from several Prometheus servers, share a load). */
  maxAgeMs?: number;
  /** A scrape waits this long for a load in flight (default 2 s), then reports the sample's gauges absent. */
  timeoutMs?: number;
}

export interface ServiceMetrics {
  readonly service: string;
  readonly registry: Registry;
  /** The content type of `text()`. */
  readonly contentType: string;
  /** The exposition text a scrape gets. */
  text(): Promise<string>;
  /** A counter in this registry (the same one when the name is already registered). */
  counter<L extends string = never>(config: Omit<CounterConfiguration<L>, "registers">): Counter<L>;
  /** A gauge in this registry (the same one when the name is already registered). */
  gauge<L extends string = never>(config: Omit<GaugeConfiguration<L>, "registers">): Gauge<L>;
  /** A histogram in this registry (the same one when the name is already registered). */
  histogram<L extends string = never>(config: Omit<HistogramConfiguration<L>, "registers">): Histogram<L>;
  /**
   * A value loaded only when a scrape needs it (see the module comment): the function resolves to the value, or
   * to undefined when the load failed or did not finish within `timeoutMs`.
   */
  sampled<T>(name: string, load: () => Promise<T>, options?: SampleOptions): () => Promise<T | undefined>;
  /** Reports a PostgreSQL pool's connections under `pool="<name>"` (total, idle, waiting clients, maximum). */
  observePool(name: string, pool: ObservablePool): void;
}

let processRegistry: Registry | undefined;

/** Process metrics, collected once per process whatever the number of services in it. */
function processMetrics(): Metric[] {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  // getMetricsAsArray() gives the metric objects themselves (its declared type is the narrower MetricObject).
  return processRegistry.getMetricsAsArray() as unknown as Metric[];
}

const DEFAULT_SAMPLE: Required<SampleOptions> = { maxAgeMs: 1_000, timeoutMs: 2_000 };
const TIMED_OUT = Symbol("timed out");

export function createServiceMetrics(service: string): ServiceMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  for (const metric of processMetrics()) registry.registerMetric(metric);

  const existing = <M>(name: string) => registry.getSingleMetric(name) as M | undefined;
  const counter: ServiceMetrics["counter"] = (config) => existing(config.name) ?? new Counter({ ...config, registers: [registry] });
  const gauge: ServiceMetrics["gauge"] = (config) => existing(config.name) ?? new Gauge({ ...config, registers: [registry] });
  const histogram: ServiceMetrics["histogram"] = (config) => existing(config.name) ?? new Histogram({ ...config, registers: [registry] });

  const sampleFailures = counter({
    name: "clinigraph_metrics_sample_failures_total",
    help: "Scrape-time samples (queries behind gauges) that failed or did not answer in time; their gauges were left out of that scrape",
    labelNames: ["sample"] as const,
  });

  function sampled<T>(name: string, load: () => Promise<T>, options: SampleOptions = {}) {
    const { maxAgeMs, timeoutMs } = { ...DEFAULT_SAMPLE, ...options };
    let last: { at: number; value: T } | undefined;
    let loading: Promise<T> | undefined;
    return async (): Promise<T | undefined> => {
      if (last && Date.now() - last.at < maxAgeMs) return last.value;
      // One load at a time: a scrape that gave up on a slow load does not start another beside it.
      loading ??= load()
        .then((value) => {
          last = { at: Date.now(), value };
          return value;
        })
        .finally(() => (loading = undefined));
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<typeof TIMED_OUT>((resolve) => (timer = setTimeout(() => resolve(TIMED_OUT), timeoutMs)));
      try {
        const value = await Promise.race([loading, timedOut]);
        if (value !== TIMED_OUT) return value;
        sampleFailures.inc({ sample: name });
        return undefined;
      } catch {
        sampleFailures.inc({ sample: name });
        return undefined;
      } finally {
        clearTimeout(timer);
      }
    };
  }

  const pools = new Map<string, ObservablePool>();
  const poolGauge = (name: string, help: string, read: (pool: ObservablePool) => number | undefined) =>
    gauge({
      name,
      help,
      labelNames: ["pool"] as const,
      collect() {
        this.reset();
        for (const [label, pool] of pools) {
          if (pool.ended) continue;
          const value = read(pool);
          if (value !== undefined) this.set({ pool: label }, value);
        }
      },
    });
  let poolGauges = false;
  function observePool(name: string, pool: ObservablePool) {
    pools.set(name, pool);
    if (poolGauges) return;
    poolGauges = true;
    poolGauge("clinigraph_pg_pool_connections", "PostgreSQL connections open in the pool (idle and in use)", (p) => p.totalCount);
    poolGauge("clinigraph_pg_pool_idle_connections", "PostgreSQL connections open in the pool and idle", (p) => p.idleCount);
    poolGauge("clinigraph_pg_pool_waiting_clients", "Callers waiting for a connection of the pool", (p) => p.waitingCount);
    poolGauge("clinigraph_pg_pool_max_connections", "Connections the pool may open at most", (p) => p.options?.max);
  }

  return {
    service,
    registry,
    contentType: registry.contentType,
    text: () => registry.metrics(),
    counter,
    gauge,
    histogram,
    sampled,
    observePool,
  };
}
