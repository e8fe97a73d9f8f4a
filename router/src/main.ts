/**
 * Starts the router: `node --conditions=clinigraph-dist router/dist/main.js [--supergraph <file>] [--port <n>]` after
 * `pnpm build:router` (production), or `tsx router/src/main.ts …` from the sources (settings: config.ts). With
 * ROUTER_WORKERS > 1 this process supervises that many router processes sharing the port (cluster.ts).
 */
import "@clinigraph/platform/graphql-production"; // first: graphql-js in production mode (see the module)
import cluster from "node:cluster";
import v8 from "node:v8";
import { ConfigError, createLogger, createTracing } from "@clinigraph/platform";
import { superviseWorkers } from "./cluster.js";
import { loadRouterConfig } from "./config.js";
import { createRouter } from "./server.js";

let logger = createLogger("router");

try {
  const config = loadRouterConfig(process.env, process.argv.slice(2));
  logger = createLogger("router", config.logLevel);
  if (config.workers > 1 && cluster.isPrimary) {
    const supervisor = superviseWorkers({ workers: config.workers, logger });
    logger.info({ workers: config.workers, port: config.port }, "router supervising its workers");
    const stop = (signal: NodeJS.Signals) => void supervisor.stop(signal).then((code) => process.exit(code));
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  } else await startRouter(config);
} catch (err) {
  if (err instanceof ConfigError) logger.fatal(err.message);
  else logger.fatal({ err }, "router failed to start");
  process.exitCode = 1;
}

async function startRouter(config: ReturnType<typeof loadRouterConfig>) {
  // Left to itself V8 lets the heap grow to about four times the live data between full collections; at the router's
  // request rate that is mostly dead request data (docs/adr/0021). Read by V8 at every collection, so set here.
  if (config.heapGrowingPercent > 0) v8.setFlagsFromString(`--heap-growing-percent=${config.heapGrowingPercent}`);
  // The config carries the edge settings too (persisted queries, rate limits, timeouts, Redis): see config.ts.
  const router = await createRouter({
    ...config,
    supergraph: { supergraphPath: config.supergraphPath },
    logger,
    clusterMetrics: cluster.isWorker,
    tracing: createTracing("router", process.env),
  });
  const running = await router.listen(config.port, config.host);
  logger.info(
    {
      url: running.url,
      supergraph: config.supergraphPath,
      persistedQueries: config.persistedQueries.mode,
      rateLimitPerMinute: config.rateLimit ? config.rateLimit.perMinute : "off",
      requestTimeoutMs: config.requestTimeoutMs,
      edgeState: config.redisUrl ? "redis" : "memory",
      trustedProxies: config.trustedProxies.length ? config.trustedProxies : "none (X-Forwarded-For ignored)",
      introspection: config.introspection,
      graphiql: config.graphiql ? `${running.url} in a browser (build: ${config.graphiqlDir})` : "off",
      metrics: config.metricsToken ? "bearer token" : "loopback listener only",
      tls: config.tls ? "HTTPS and WSS (TLS_CERT_FILE)" : "off (plain HTTP)",
    },
    "router ready for requests",
  );
  // Once, whichever signal comes first (a worker gets SIGINT from the terminal and SIGTERM from its primary).
  let closing: Promise<void> | null = null;
  const shutdown = (signal: string) => {
    if (closing) return;
    logger.info({ signal, ...(cluster.isWorker ? { worker: cluster.worker?.id } : {}) }, "router stopping");
    closing = running.close().then(() => process.exit(0));
  };
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);
}
