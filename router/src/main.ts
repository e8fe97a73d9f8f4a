/**
 * Starts the router: `node --conditions=clinigraph-dist router/dist/main.js [--supergraph <file>] [--port <n>]` after
 * `pnpm build:router` (production), or `tsx router/src/main.ts …` from the sources (settings: config.ts).
 */
import "@clinigraph/platform/graphql-production"; // first: graphql-js in production mode (see the module)
import v8 from "node:v8";
import { ConfigError, createLogger } from "@clinigraph/platform";
import { loadRouterConfig } from "./config.js";
import { createRouter } from "./server.js";

let logger = createLogger("router");

try {
  const config = loadRouterConfig(process.env, process.argv.slice(2));
  logger = createLogger("router", config.logLevel);
  // Left to itself V8 lets the heap grow to about four times the live data between full collections; at the router's
  // request rate that is mostly dead request data (docs/adr/0021). Read by V8 at every collection, so set here.
  if (config.heapGrowingPercent > 0) v8.setFlagsFromString(`--heap-growing-percent=${config.heapGrowingPercent}`);
  // The config carries the edge settings too (persisted queries, rate limits, timeouts, Redis): see config.ts.
  const router = await createRouter({ ...config, supergraph: { supergraphPath: config.supergraphPath }, logger });
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
    },
    "router ready for requests",
  );
  const shutdown = (signal: string) => {
    logger.info({ signal }, "router stopping");
    void running.close().then(() => process.exit(0));
  };
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
} catch (err) {
  if (err instanceof ConfigError) logger.fatal(err.message);
  else logger.fatal({ err }, "router failed to start");
  process.exitCode = 1;
}
