/** Starts the notifications subgraph: config → dependencies → outbox relay → server. */
import { createLogger, type Env, type RunningSubgraph } from "@clinigraph/platform";
import { useEventBus, startSubgraphRelay, type EventBus } from "@clinigraph/events";
import { loadNotificationsConfig, type NotificationsConfig } from "./config.js";
import { createPrisma, pingDatabase } from "./data/prisma.js";
import { createAccountsContacts } from "./data/accountsContacts.js";
import { createPreferencesRepository } from "./data/preferencesRepository.js";
import { createUnitOfWork } from "./data/unitOfWork.js";
import type { Deps } from "./domain/deps.js";
import type { ContactDirectory } from "./domain/ports.js";
import { buildNotificationsServer } from "./server.js";

export { buildNotificationsServer, typeDefs } from "./server.js";
export { loadNotificationsConfig, type NotificationsConfig } from "./config.js";
export type { Deps } from "./domain/deps.js";

export interface StartNotificationsOptions {
  config?: NotificationsConfig;
  clock?: () => Date;
  /** Replaces the accounts client built from ACCOUNTS_URL (tests). */
  contacts?: ContactDirectory;
  /** Share the process's event bus (else one from the config: Redis with REDIS_URL). */
  bus?: EventBus;
}

export async function startNotifications(env: Env, options: StartNotificationsOptions = {}): Promise<RunningSubgraph & { deps: Deps }> {
  const config = options.config ?? loadNotificationsConfig(env);
  const logger = createLogger("notifications", config.logLevel);
  const prisma = createPrisma(config.databaseUrl);
  const deps: Deps = {
    preferences: createPreferencesRepository(prisma),
    contacts: options.contacts ?? createAccountsContacts({ url: config.accountsUrl, routerSecrets: config.routerSecrets }),
    unitOfWork: createUnitOfWork(prisma),
    clock: options.clock ?? (() => new Date()),
    logger,
  };
  const { bus, release: releaseBus } = await useEventBus({ shared: options.bus, redisUrl: config.redisUrl, logger });
  const relay = startSubgraphRelay({ service: "notifications", databaseUrl: config.databaseUrl, namespace: config.namespace, bus, logger });
  const server = await buildNotificationsServer({
    deps,
    routerSecrets: config.routerSecrets,
    logger,
    exposeInternalErrors: config.exposeInternalErrors,
    checkReady: () => pingDatabase(prisma),
  });
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
