/**
 * Several router processes on one port (ROUTER_WORKERS > 1), with node:cluster: the first process supervises and
 * serves nothing; each worker is a whole router (its own event loop, plan cache, verified-token cache and upstream
 * live feeds) listening on the shared port, and the primary hands new connections to them in turn (round robin, the
 * Linux default). A WebSocket stays with the worker that accepted it.
 *
 * - A worker that dies unasked is replaced (after a pause that grows while replacements die young: a crash loop does
 *   not spin), and its clients reconnect to the others (live feeds resume with `since`).
 * - SIGTERM or SIGINT to the primary reaches every worker as SIGTERM: each drains as a single router does (main.ts),
 *   and the primary exits once all have, with exit code 1 if one failed to stop cleanly.
 * - `/metrics` answers for the whole router: the worker asked requests the sum of every worker's registry through
 *   the primary (prom-client's AggregatorRegistry), so a scrape does not depend on which worker took it.
 * - Rate limits and the APQ cache are shared through Redis when REDIS_URL is set; in memory they are per worker.
 */
import cluster, { type Worker } from "node:cluster";
import { AggregatorRegistry, type Registry } from "prom-client";
import type { Logger } from "@clinigraph/platform";

const METRICS_REQUEST = "clinigraph:router-metrics-request";
const METRICS_RESPONSE = "clinigraph:router-metrics-response";

interface MetricsRequest {
  type: typeof METRICS_REQUEST;
  id: number;
}
interface MetricsResponse {
  type: typeof METRICS_RESPONSE;
  id: number;
  text?: string;
  error?: string;
}

export interface SupervisorOptions {
  workers: number;
  logger: Logger;
  /** Pause before replacing a worker that died within `youngMs` of its start, doubled each time up to 30 s (default 1 s). */
  restartDelayMs?: number;
  youngMs?: number;
}

/** Runs in the primary: forks the workers, replaces those that die, stops them all on SIGTERM/SIGINT. */
export function superviseWorkers(options: SupervisorOptions): { stop(signal?: NodeJS.Signals): Promise<number> } {
  const { logger } = options;
  const baseDelay = options.restartDelayMs ?? 1_000;
  const youngMs = options.youngMs ?? 10_000;
  const aggregator = new AggregatorRegistry();
  const startedAt = new Map<Worker, number>();
  let delay = baseDelay;
  let stopping: Promise<number> | null = null;
  let failed = false;

  const fork = () => {
    const worker = cluster.fork();
    startedAt.set(worker, Date.now());
    worker.on("message", (message: MetricsRequest) => {
      if (message?.type !== METRICS_REQUEST) return;
      aggregator.clusterMetrics().then(
        (text) => worker.send({ type: METRICS_RESPONSE, id: message.id, text } satisfies MetricsResponse),
        (err: Error) => worker.send({ type: METRICS_RESPONSE, id: message.id, error: err.message } satisfies MetricsResponse),
      );
    });
    worker.once("online", () => logger.info({ worker: worker.id, pid: worker.process.pid }, "router worker started"));
    worker.once("exit", (code, signal) => {
      const lived = Date.now() - (startedAt.get(worker) ?? Date.now());
      startedAt.delete(worker);
      if (stopping) {
        if (code !== 0) failed = true;
        return;
      }
      delay = lived < youngMs ? Math.min(delay * 2, 30_000) : baseDelay;
      const wait = lived < youngMs ? delay : 0;
      logger.error({ worker: worker.id, pid: worker.process.pid, code, signal, restartInMs: wait }, "router worker died; starting another");
      setTimeout(() => {
        if (!stopping) fork();
      }, wait).unref();
    });
  };
  for (let i = 0; i < options.workers; i++) fork();

  const stop = (signal: NodeJS.Signals = "SIGTERM") =>
    (stopping ??= new Promise<number>((resolve) => {
      logger.info({ signal, workers: startedAt.size }, "router stopping its workers");
      const alive = [...startedAt.keys()];
      if (alive.length === 0) return resolve(failed ? 1 : 0);
      let left = alive.length;
      for (const worker of alive) {
        worker.once("exit", () => {
          if (--left === 0) resolve(failed ? 1 : 0);
        });
        worker.process.kill("SIGTERM");
      }
    }));
  return { stop };
}

/**
 * Runs in a worker: what `/metrics` serves, the sum over every worker's `registry`, asked of the primary. prom-client's
 * listener answering the primary's collection is installed here (constructing an AggregatorRegistry does that).
 */
export function clusterMetricsSource(registry: Registry, timeoutMs = 10_000): () => Promise<string> {
  AggregatorRegistry.setRegistries([registry]);
  new AggregatorRegistry();
  const pending = new Map<number, { resolve(text: string): void; reject(err: Error): void }>();
  let next = 0;
  process.on("message", (message: MetricsResponse) => {
    if (message?.type !== METRICS_RESPONSE) return;
    const waiting = pending.get(message.id);
    if (!waiting) return;
    pending.delete(message.id);
    if (message.text !== undefined) waiting.resolve(message.text);
    else waiting.reject(new Error(message.error ?? "no metrics from the primary"));
  });
  return () =>
    new Promise<string>((resolve, reject) => {
      const id = next++;
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new Error("the router's primary did not answer with the cluster's metrics"));
      }, timeoutMs);
      pending.set(id, {
        resolve: (text) => (clearTimeout(timer), resolve(text)),
        reject: (err) => (clearTimeout(timer), reject(err)),
      });
      process.send?.({ type: METRICS_REQUEST, id } satisfies MetricsRequest);
    });
}
