/**
 * Prometheus metrics: default process metrics plus GraphQL request count and latency by operation
 * type and outcome, collected by an Apollo Server plugin. One registry per router instance.
 */
import type { ApolloServerPlugin } from "@apollo/server";
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

export type RequestStatus = "success" | "partial" | "error";

export interface RouterMetrics {
  registry: Registry;
  record(operationType: string, status: RequestStatus, seconds?: number): void;
  /**
   * One request from the router to a subgraph (entity batches show up here as one request each); `shared`: the call
   * was answered by an identical request already in flight, so nothing was sent.
   */
  subgraphRequest(subgraph: string, shared?: boolean): void;
  /** An operation run by the router's executor: its plan was cached (`hit`) or had to be made. */
  plan(hit: boolean): void;
  /** Reports subscription load at every scrape: client connections and shared upstream operations. */
  observeSubscriptions(sample: () => { connections: number; upstreams: number; upstreamConnections: number }): void;
}

export function createMetrics(): RouterMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: "clinigraph_router_requests_total",
    help: "GraphQL requests served by the router",
    labelNames: ["operation_type", "status"] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: "clinigraph_router_request_duration_seconds",
    help: "GraphQL request duration in the router, seconds",
    labelNames: ["operation_type"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const subgraphRequests = new Counter({
    name: "clinigraph_router_subgraph_requests_total",
    help: "Requests the router sent to each subgraph",
    labelNames: ["subgraph"] as const,
    registers: [registry],
  });
  const sharedRequests = new Counter({
    name: "clinigraph_router_subgraph_requests_shared_total",
    help: "Subgraph calls answered by an identical request already in flight (not sent)",
    labelNames: ["subgraph"] as const,
    registers: [registry],
  });
  const plans = new Counter({
    name: "clinigraph_router_query_plans_total",
    help: "Operations the router's executor ran, by whether their query plan was cached (hit) or made (miss)",
    labelNames: ["result"] as const,
    registers: [registry],
  });
  return {
    registry,
    plan: (hit) => plans.inc({ result: hit ? "hit" : "miss" }),
    subgraphRequest: (subgraph, shared) => (shared ? sharedRequests : subgraphRequests).inc({ subgraph }),
    observeSubscriptions(sample) {
      new Gauge({
        name: "clinigraph_router_ws_connections",
        help: "Open graphql-ws client connections",
        registers: [registry],
        collect() {
          this.set(sample().connections);
        },
      });
      new Gauge({
        name: "clinigraph_router_upstream_subscriptions",
        help: "Distinct upstream subscription operations (identical client subscriptions share one)",
        registers: [registry],
        collect() {
          this.set(sample().upstreams);
        },
      });
      new Gauge({
        name: "clinigraph_router_upstream_connections",
        help: "Open graphql-ws connections from the router to subgraphs (one per subgraph with live operations, whatever the callers)",
        registers: [registry],
        collect() {
          this.set(sample().upstreamConnections);
        },
      });
    },
    record(operationType, status, seconds) {
      requests.inc({ operation_type: operationType, status });
      if (seconds !== undefined) duration.observe({ operation_type: operationType }, seconds);
    },
  };
}

export function metricsPlugin<T extends object>(metrics: RouterMetrics): ApolloServerPlugin<T> {
  return {
    // Requests refused before the pipeline (bad token, malformed HTTP body) never reach requestDidStart.
    async contextCreationDidFail() {
      metrics.record("unknown", "error");
    },
    async invalidRequestWasReceived() {
      metrics.record("unknown", "error");
    },
    async requestDidStart() {
      const started = process.hrtime.bigint();
      return {
        async willSendResponse({ operation, response, errors }) {
          const body = response.body.kind === "single" ? response.body.singleResult : response.body.initialResult;
          const failed = (errors?.length ?? 0) > 0 || (body.errors?.length ?? 0) > 0;
          const status: RequestStatus = !failed ? "success" : body.data ? "partial" : "error";
          metrics.record(operation?.operation ?? "unknown", status, Number(process.hrtime.bigint() - started) / 1e9);
        },
      };
    },
  };
}
