/** Starts the router: `tsx router/src/main.ts [--supergraph <file>] [--port <n>]` (settings: config.ts). */
import { ConfigError, createLogger } from "@clinigraph/platform";
import { loadRouterConfig } from "./config.js";
import { createRouter } from "./server.js";

let logger = createLogger("router");

try {
  const config = loadRouterConfig(process.env, process.argv.slice(2));
  logger = createLogger("router", config.logLevel);
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
