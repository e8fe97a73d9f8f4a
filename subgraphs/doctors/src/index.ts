/**
 * The doctors subgraph's composition root: config → deps → server. `startDoctors(env, options)` is what a launcher
 * (main.ts, scripts/start.ts, the e2e stack) calls; closing it also closes the database pool it opened.
 */
import { createLogger, type Env, type Logger, type RunningSubgraph } from "@clinigraph/platform";
import { loadDoctorsConfig, type DoctorsConfig } from "./config.js";
import { createHttpAccountsClient } from "./data/accountsClient.js";
import { createPrismaClient, pingDatabase, type PrismaClient } from "./data/prisma.js";
import { createRepositories } from "./data/repositories.js";
import { createHttpScheduleListener, noScheduleListener } from "./data/scheduleListener.js";
import type { Deps } from "./domain/deps.js";
import type { AccountsClient } from "./domain/ports.js";
import { buildDoctorsServer } from "./server.js";

export { loadDoctorsConfig, type DoctorsConfig } from "./config.js";
export { buildDoctorsServer, typeDefs, type DoctorsServerOptions } from "./server.js";
export { createPrismaClient } from "./data/prisma.js";
export {
  createHttpAccountsClient,
  AccountsUnavailable,
  type AccountsClient,
  type AccountsUser,
  type NewStaffUser,
  type HttpAccountsClientOptions,
} from "./data/accountsClient.js";
export type { Deps as DoctorsDeps } from "./domain/deps.js";

export interface StartDoctorsOptions {
  /** Default: loadDoctorsConfig(env). */
  config?: DoctorsConfig;
  /** Default: a pino logger at LOG_LEVEL. */
  logger?: Logger;
  /** Replaces the HTTP client of the accounts subgraph (tests). */
  accounts?: AccountsClient;
  /** Runs on this client instead of one opened on DATABASE_URL (tests: one that logs its queries); its owner closes it. */
  prisma?: PrismaClient;
  clock?: () => Date;
}

export async function startDoctors(env: Env, options: StartDoctorsOptions = {}): Promise<RunningSubgraph> {
  const config = options.config ?? loadDoctorsConfig(env);
  const logger = options.logger ?? createLogger("doctors", config.logLevel);
  const prisma = options.prisma ?? createPrismaClient(config.databaseUrl, config.databasePoolSize);
  const disconnect = async () => {
    if (!options.prisma) await prisma.$disconnect();
  };
  try {
    const deps: Deps = {
      ...createRepositories(prisma),
      accounts: options.accounts ?? createHttpAccountsClient({ url: config.accountsUrl, routerSecrets: config.routerSecrets }),
      schedule: config.schedulingUrl
        ? createHttpScheduleListener({ url: config.schedulingUrl, routerSecrets: config.routerSecrets, logger })
        : noScheduleListener,
      clock: options.clock ?? (() => new Date()),
    };
    const server = await buildDoctorsServer({
      deps,
      routerSecrets: config.routerSecrets,
      logger,
      checkReady: () => pingDatabase(prisma),
      exposeInternalErrors: config.exposeInternalErrors,
    });
    const running = await server.listen(config.port, config.host);
    return {
      ...running,
      // No outbox yet: doctors runs no relay and no consumer.
      workers: { relays: [], consumers: [] },
      async close() {
        await running.close();
        await disconnect();
      },
    };
  } catch (err) {
    await disconnect();
    throw err;
  }
}
