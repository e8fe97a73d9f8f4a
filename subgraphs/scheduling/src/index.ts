import { createLogger, type RunningServer } from "@clinigraph/platform";
import { loadSchedulingConfig, type SchedulingConfig } from "./config.js";
import { createHttpDoctorsClient, type DoctorsClient } from "./data/doctorsClient.js";
import { createPrisma } from "./data/prisma.js";
import type { SchedulingDeps } from "./domain/deps.js";
import { startJobs } from "./jobs.js";
import { buildSchedulingServer } from "./server.js";

export { buildSchedulingServer, typeDefs } from "./server.js";
export { loadSchedulingConfig, type SchedulingConfig } from "./config.js";
export { createPrisma } from "./data/prisma.js";
export { createHttpDoctorsClient, type DoctorsClient, type DoctorSnapshot } from "./data/doctorsClient.js";
export { expireHolds } from "./domain/expireHolds.js";
export { reconcileAllDoctors, syncDoctorFromSource } from "./domain/reconcile.js";
export type { SchedulingDeps } from "./domain/deps.js";

export interface StartSchedulingOptions {
  config?: SchedulingConfig;
  clock?: () => Date;
  doctors?: DoctorsClient;
  /** Run the hold sweep and periodic reconciliation (default true). */
  jobs?: boolean;
}

export async function startScheduling(env: Record<string, string | undefined> = process.env, options: StartSchedulingOptions = {}) {
  const config = options.config ?? loadSchedulingConfig(env);
  const logger = createLogger("scheduling", env.LOG_LEVEL);
  const prisma = createPrisma(config.databaseUrl);
  const deps: SchedulingDeps = { prisma, rules: config.rules, clock: options.clock ?? (() => new Date()) };
  const doctors = options.doctors ?? createHttpDoctorsClient({ url: config.doctorsUrl, routerSecrets: config.routerSecrets });
  const server = await buildSchedulingServer({ deps, doctors, routerSecrets: config.routerSecrets, logger, exposeInternalErrors: config.exposeInternalErrors });
  const running: RunningServer = await server.listen(config.port, config.host);
  const jobs = options.jobs === false ? null : startJobs(deps, doctors, logger, config);
  return {
    ...running,
    deps,
    doctors,
    async close() {
      await jobs?.stop();
      await running.close();
      await prisma.$disconnect();
    },
  };
}
