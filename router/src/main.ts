/** Starts the router: `tsx router/src/main.ts [--supergraph <file>] [--port <n>]` (see config.ts). */
import { ConfigError, createLogger } from "@clinigraph/platform";
import { loadRouterConfig } from "./config.js";
import { createRouter } from "./server.js";

const logger = createLogger("router");

try {
  const config = loadRouterConfig(process.env, process.argv.slice(2));
  const router = await createRouter({ ...config, supergraph: { supergraphPath: config.supergraphPath }, logger });
  const running = await router.listen(config.port, config.host);
  logger.info({ url: running.url, supergraph: config.supergraphPath }, "router ready for requests");
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
