/** Starts the doctors subgraph from env (or a given config); closing it also closes its database pool. */
import { createLogger, type Logger, type RunningServer } from "@clinigraph/platform";
import { loadDoctorsConfig, type DoctorsConfig } from "./config.js";
import { createHttpAccountsClient, type AccountsClient } from "./data/accountsClient.js";
import { createPrismaClient } from "./data/prisma.js";
import { createHttpScheduleListener } from "./data/scheduleListener.js";
import { buildDoctorsServer } from "./server.js";

export interface StartDoctorsOptions {
  /** Default: loadDoctorsConfig(env). */
  config?: DoctorsConfig;
  /** Default: a pino logger at LOG_LEVEL. */
  logger?: Logger;
  /** Replaces the HTTP client of the accounts subgraph (tests). */
  accounts?: AccountsClient;
}

export async function startDoctors(env: Record<string, string | undefined> = process.env, options: StartDoctorsOptions = {}): Promise<RunningServer> {
  const config = options.config ?? loadDoctorsConfig(env);
  const logger = options.logger ?? createLogger("doctors", env.LOG_LEVEL || undefined);
  const prisma = createPrismaClient(config.databaseUrl);
  try {
    const accounts = options.accounts ?? createHttpAccountsClient({ url: config.accountsUrl, routerSecrets: config.routerSecrets });
    const server = await buildDoctorsServer({
      prisma,
      routerSecrets: config.routerSecrets,
      accounts,
      schedule: config.schedulingUrl ? createHttpScheduleListener({ url: config.schedulingUrl, routerSecrets: config.routerSecrets, logger }) : undefined,
      logger,
      exposeInternalErrors: config.exposeInternalErrors,
    });
    const running = await server.listen(config.port, config.host);
    return {
      ...running,
      async close() {
        await running.close();
        await prisma.$disconnect();
      },
    };
  } catch (err) {
    await prisma.$disconnect();
    throw err;
  }
}
