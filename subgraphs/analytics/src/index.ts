/** Starts the analytics subgraph: config → dependencies → outbox relay → server. */
import { createLogger, type Env, type RunningSubgraph } from "@clinigraph/platform";
import { startSubgraphRelay, useEventBus, type EventBus } from "@clinigraph/events";
import { loadAnalyticsConfig, type AnalyticsConfig } from "./config.js";
import { createPrisma } from "./data/prisma.js";
import { createStatusRepository } from "./data/statusRepository.js";
import { createUnitOfWork } from "./data/unitOfWork.js";
import type { Deps } from "./domain/deps.js";
import { buildAnalyticsServer } from "./server.js";

export { buildAnalyticsServer, typeDefs } from "./server.js";
export { loadAnalyticsConfig, type AnalyticsConfig } from "./config.js";
export type { Deps } from "./domain/deps.js";

export interface StartAnalyticsOptions {
  config?: AnalyticsConfig;
  clock?: () => Date;
  /** Share the process's event bus (else one from the config: Redis with REDIS_URL). */
  bus?: EventBus;
}

export async function startAnalytics(env: Env, options: StartAnalyticsOptions = {}): Promise<RunningSubgraph & { deps: Deps }> {
  const config = options.config ?? loadAnalyticsConfig(env);
  const logger = createLogger("analytics", config.logLevel);
  const prisma = createPrisma(config.databaseUrl, config.databasePoolSize);
  const deps: Deps = {
    status: createStatusRepository(prisma),
    unitOfWork: createUnitOfWork(prisma),
    clock: options.clock ?? (() => new Date()),
    logger,
  };
  const { bus, release: releaseBus } = await useEventBus({ shared: options.bus, redisUrl: config.redisUrl, logger });
  const relay = startSubgraphRelay({ service: "analytics", databaseUrl: config.databaseUrl, namespace: config.namespace, bus, logger });
  const server = await buildAnalyticsServer({ deps, routerSecrets: config.routerSecrets, logger, exposeInternalErrors: config.exposeInternalErrors });
  const running = await server.listen(config.port, config.host);
  logger.info({ url: running.url }, "listening");
  return {
    ...running,
    deps,
    workers: { relays: [relay], consumers: [] },
    async close() {
      await running.close();
      await relay.stop();
      await releaseBus();
      await prisma.$disconnect();
    },
  };
}
