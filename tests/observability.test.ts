/**
 * The dashboards and alert rules of deploy/observability (ADR 24) against what the code exports: every metric a
 * panel, a dashboard variable or a rule names is registered by the router or by a subgraph (their registries, built
 * as the processes build them), with the labels the query selects on; rule files have Prometheus's rule structure.
 * PromQL is read loosely: metric names are the identifiers that are not functions, keywords, label names or ranges.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { parse as parseGraphql } from "graphql";
import { parse as parseYaml } from "yaml";
import { createMemoryEventBus, instrumentBus, observeOutbox } from "@clinigraph/events";
import { createDeliveryMetrics } from "@clinigraph/notifications";
import { createLogger, createServiceMetrics, createSubgraphServer, REPO_ROOT, type ServiceMetrics } from "@clinigraph/platform";
import { TEST_ROUTER_SECRETS } from "@clinigraph/testing";
import { createMetrics } from "../router/src/metrics.js";
import { createEdge } from "../router/src/edge.js";

const observability = path.join(REPO_ROOT, "deploy", "observability");
const dashboardsDir = path.join(observability, "grafana", "dashboards");
const rulesDir = path.join(observability, "prometheus", "rules");

/** What Prometheus adds to every series it scrapes (target labels), and the series it makes itself. */
const TARGET_LABELS = ["service", "job", "instance"];
const PROMETHEUS_SERIES = new Map([["up", new Set(TARGET_LABELS)]]);

/** Exposed series name → its label names, from a registry (histograms as their _bucket, _sum and _count series). */
async function seriesOf(registry: ServiceMetrics["registry"]): Promise<Map<string, Set<string>>> {
  const series = new Map<string, Set<string>>();
  // getMetricsAsArray() gives prom-client's metric objects (declared as the narrower MetricObject).
  type RegisteredMetric = { get(): Promise<{ name: string; type: string }>; labelNames?: string[] };
  for (const metric of registry.getMetricsAsArray() as unknown as RegisteredMetric[]) {
    const { name, type } = await metric.get();
    const labels = new Set([...(metric.labelNames ?? []), ...TARGET_LABELS]);
    if (type === "histogram") {
      series.set(`${name}_bucket`, new Set([...labels, "le"]));
      series.set(`${name}_sum`, labels);
      series.set(`${name}_count`, labels);
    } else series.set(name, labels);
  }
  return series;
}

const KEYWORDS = new Set([
  ...["by", "without", "on", "ignoring", "group_left", "group_right", "bool", "and", "or", "unless", "offset", "inf", "nan"],
  // Aggregation operators: followed by `by (…)` rather than by their parenthesis.
  ...["sum", "min", "max", "avg", "group", "stddev", "stdvar", "count", "count_values", "bottomk", "topk", "quantile", "limitk", "limit_ratio"],
]);

/** The metric names of a PromQL expression, each with the label names its selectors match on. */
function metricsIn(expr: string): { name: string; labels: string[] }[] {
  const found: { name: string; labels: string[] }[] = [];
  const text = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""') // strings (label values) hold no names
    .replace(/\[[^\]]*\]/g, "") // ranges: [5m], [$__rate_interval]
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, "$1"); // grouping label lists
  for (const match of text.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)(\s*\{[^}]*\})?(\s*\()?/g)) {
    const [, word, selector, call] = match;
    const before = text[match.index - 1];
    if (call || KEYWORDS.has(word!.toLowerCase()) || before === "$" || /[\d.]/.test(before ?? "")) continue;
    const labels = [...(selector ?? "").matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)\s*(?:=~|!~|!=|=)/g)].map((m) => m[1]!);
    found.push({ name: word!, labels });
  }
  return found;
}

interface Panel {
  title?: string;
  type: string;
  targets?: { expr: string }[];
  panels?: Panel[];
}
interface Dashboard {
  uid: string;
  title: string;
  panels: Panel[];
  templating: { list: { name: string; query: { query: string } | string }[] };
}
interface RuleFile {
  groups: {
    name: string;
    interval?: string;
    rules: { alert?: string; record?: string; expr: string; for?: string; labels?: Record<string, string>; annotations?: Record<string, string> }[];
  }[];
}

const dashboards = readdirSync(dashboardsDir)
  .filter((file) => file.endsWith(".json"))
  .map((file) => ({ file, dashboard: JSON.parse(readFileSync(path.join(dashboardsDir, file), "utf8")) as Dashboard }));
const ruleFiles = readdirSync(rulesDir)
  .filter((file) => /\.ya?ml$/.test(file))
  .map((file) => ({ file, rules: parseYaml(readFileSync(path.join(rulesDir, file), "utf8")) as RuleFile }));

/** Every PromQL expression of the dashboards and rules, with where it is. */
const expressions = [
  ...dashboards.flatMap(({ file, dashboard }) =>
    dashboard.panels
      .flatMap((panel) => [panel, ...(panel.panels ?? [])])
      .flatMap((panel) => (panel.targets ?? []).map((t) => ({ where: `${file}: ${panel.title}`, expr: t.expr }))),
  ),
  ...ruleFiles.flatMap(({ file, rules }) =>
    rules.groups.flatMap((group) => group.rules.map((rule) => ({ where: `${file}: ${rule.alert ?? rule.record}`, expr: rule.expr }))),
  ),
];

let exported: Map<string, Set<string>>;
let routerSeries: Map<string, Set<string>>;
let subgraphSeries: Map<string, Set<string>>;
const closers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  // The router's registry as createRouter fills it: its own metrics, the live gauges, the edge's refusals.
  const router = createMetrics();
  router.observeSubscriptions(() => ({ connections: 0, upstreams: 0, upstreamConnections: 0 }));
  const edge = await createEdge({}, createLogger("observability-test", "silent"), router.registry);
  closers.push(() => edge.close());
  routerSeries = await seriesOf(router.registry);

  // A subgraph's registry as a start function fills it: the server, a pool, its bus and relay, and (notifications) the deliveries.
  const metrics = createServiceMetrics("test");
  const server = await createSubgraphServer({
    name: "test",
    typeDefs: parseGraphql("type Query { ok: Boolean }"),
    resolvers: {},
    routerSecrets: TEST_ROUTER_SECRETS,
    logger: createLogger("observability-test", "silent"),
    createContext: (base) => base,
    metrics,
    // Registers the staff action log's failure counter (what the writer does is not measured here).
    staffActions: { write: async () => {} },
  });
  closers.push(() => server.stop());
  metrics.observePool("main", { totalCount: 0, idleCount: 0, waitingCount: 0, options: { max: 1 } });
  const bus = instrumentBus(createMemoryEventBus(), metrics);
  closers.push(() => bus.close());
  observeOutbox(metrics, "test", async () => ({ unpublished: 0, oldestUnpublishedAgeSeconds: 0 })).stop();
  createDeliveryMetrics(
    metrics,
    async () => ({ count: 0, oldestDueAt: null }),
    () => new Date(),
  );
  subgraphSeries = await seriesOf(metrics.registry);

  exported = new Map([...PROMETHEUS_SERIES, ...routerSeries, ...subgraphSeries]);
});

afterAll(async () => {
  for (const close of closers.splice(0)) await close();
});

describe("deploy/observability", () => {
  it("has the router, subgraphs and event-flow dashboards and at least one rule file, and the loose PromQL reader finds names", () => {
    expect(dashboards.map((d) => d.file).sort()).toEqual(["event-flow.json", "router.json", "subgraphs.json"]);
    expect(ruleFiles.length).toBeGreaterThan(0);
    expect(metricsIn('sum by (le) (rate(a_bucket{x="1", y=~"$v"}[5m])) / on(z) b unless c offset 5m > 0.5')).toEqual([
      { name: "a_bucket", labels: ["x", "y"] },
      { name: "b", labels: [] },
      { name: "c", labels: [] },
    ]);
    for (const { where, expr } of expressions) expect({ where, names: metricsIn(expr).length > 0 }).toEqual({ where, names: true });
  });

  it("names only metrics the router or a subgraph exports, and only labels those metrics have", () => {
    const unknown = expressions.flatMap(({ where, expr }) =>
      metricsIn(expr).flatMap(({ name, labels }) => {
        const known = exported.get(name);
        if (!known) return [`${where}: ${name}`];
        return labels.filter((label) => !known.has(label)).map((label) => `${where}: ${name}{${label}}`);
      }),
    );
    expect(unknown).toEqual([]);
  });

  it("builds dashboard variables from exported metrics and their labels", () => {
    const variables = dashboards.flatMap(({ file, dashboard }) => dashboard.templating.list.map((v) => ({ file, v })));
    expect(variables.length).toBeGreaterThan(0);
    for (const { file, v } of variables) {
      const query = typeof v.query === "string" ? v.query : v.query.query;
      const [, metric, label] = /^label_values\(([a-zA-Z_:][a-zA-Z0-9_:]*),\s*([a-zA-Z_]+)\)$/.exec(query) ?? [];
      expect({ file, variable: v.name, metric: exported.has(metric ?? "") }).toEqual({ file, variable: v.name, metric: true });
      expect(exported.get(metric!)!.has(label!)).toBe(true);
    }
  });

  it("uses each of the subgraphs' request, consumer-group and outbox metrics somewhere (the dashboards keep up with the code)", () => {
    const used = new Set(expressions.flatMap(({ expr }) => metricsIn(expr).map((m) => m.name)));
    const clinigraph = [...subgraphSeries.keys(), ...routerSeries.keys()].filter((name) => name.startsWith("clinigraph_") && !name.endsWith("_sum"));
    // A histogram is used through its buckets or its count.
    const missing = clinigraph.filter((name) => !used.has(name) && !(name.endsWith("_count") && used.has(name.replace(/_count$/, "_bucket"))));
    expect(missing).toEqual([]);
  });

  it("keeps panels' ids unique and inside Grafana's 24-column grid", () => {
    for (const { file, dashboard } of dashboards) {
      const panels = dashboard.panels as (Panel & { id: number; gridPos: { x: number; w: number } })[];
      expect({ file, ids: new Set(panels.map((p) => p.id)).size }).toEqual({ file, ids: panels.length });
      for (const panel of panels) expect(panel.gridPos.x + panel.gridPos.w).toBeLessThanOrEqual(24);
    }
    expect(new Set(dashboards.map((d) => d.dashboard.uid)).size).toBe(dashboards.length);
  });

  it.each(ruleFiles.map((r) => [r.file, r.rules] as const))("%s has Prometheus's rule structure", (_file, rules) => {
    expect(Object.keys(rules)).toEqual(["groups"]);
    const groupNames = rules.groups.map((g) => g.name);
    expect(new Set(groupNames).size).toBe(groupNames.length);
    const alertNames: string[] = [];
    for (const group of rules.groups) {
      expect(typeof group.name).toBe("string");
      expect(group.rules.length).toBeGreaterThan(0);
      for (const rule of group.rules) {
        expect(Object.keys(rule).every((key) => ["alert", "record", "expr", "for", "keep_firing_for", "labels", "annotations"].includes(key))).toBe(true);
        expect(typeof rule.expr).toBe("string");
        expect(Boolean(rule.alert) !== Boolean(rule.record)).toBe(true); // one or the other
        if (rule.for !== undefined) expect(rule.for).toMatch(/^(\d+(ms|s|m|h|d|w|y))+$/);
        if (rule.alert) {
          alertNames.push(rule.alert);
          expect(rule.alert).toMatch(/^[A-Za-z][A-Za-z0-9]*$/);
          expect(["page", "ticket"]).toContain(rule.labels?.severity);
          expect(rule.annotations?.summary).toBeTruthy();
          expect(rule.annotations?.description).toBeTruthy();
          // Templates name only labels the expression keeps (loosely: labels of its series or its by (...) lists).
          for (const [, label] of `${rule.annotations!.summary} ${rule.annotations!.description}`.matchAll(/\$labels\.([a-zA-Z_]+)/g))
            expect({ alert: rule.alert, label, kept: rule.expr.includes(label!) || TARGET_LABELS.includes(label!) }).toEqual({
              alert: rule.alert,
              label,
              kept: true,
            });
        }
      }
    }
    expect(new Set(alertNames).size).toBe(alertNames.length);
    // What the brief of ADR 24 asks to be alerted on, by the metric each alert reads.
    const read = new Set(rules.groups.flatMap((g) => g.rules.flatMap((r) => metricsIn(r.expr).map((m) => m.name))));
    for (const name of [
      "up",
      "clinigraph_subgraph_ready",
      "clinigraph_router_requests_total",
      "clinigraph_subgraph_errors_total",
      "clinigraph_router_request_duration_seconds_bucket",
      "clinigraph_subgraph_request_duration_seconds_bucket",
      "clinigraph_events_consumer_lag",
      "clinigraph_events_dead_letter_entries",
      "clinigraph_outbox_oldest_unpublished_age_seconds",
    ])
      expect(read).toContain(name);
  });
});
