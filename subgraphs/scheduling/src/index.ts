import { createLogger, fieldCipherFromEnv, type RunningServer } from "@clinigraph/platform";
import { createEventBus, createLiveFeed, startOutboxRelay, STREAMS, streamOf, type EventBus, type LiveFeed } from "@clinigraph/events";
import { startClinicalConsumer } from "./events/clinical.js";
import { OUTBOX_CHANNEL } from "./events/outbox.js";
import { startLiveBridge } from "./live/bridge.js";
import { loadSchedulingConfig, type SchedulingConfig } from "./config.js";
import { createHttpDoctorsClient, type DoctorsClient } from "./data/doctorsClient.js";
import { createHttpPatientDirectory, type PatientDirectory } from "@clinigraph/platform";
import { createPrisma } from "./data/prisma.js";
import type { SchedulingDeps } from "./domain/deps.js";
import { startJobs } from "./jobs.js";
import { buildSchedulingServer } from "./server.js";

export { buildSchedulingServer, typeDefs } from "./server.js";
export { loadSchedulingConfig, type SchedulingConfig } from "./config.js";
export { createPrisma } from "./data/prisma.js";
export { createHttpDoctorsClient, type DoctorsClient, type DoctorSnapshot } from "./data/doctorsClient.js";
export { AccountsUnavailable, createHttpPatientDirectory, type PatientDirectory } from "@clinigraph/platform";
export { expireHolds } from "./domain/expireHolds.js";
export { fulfilFromEncounter, REFUSED_NOTE } from "./domain/visitOutcome.js";
export { CLINICAL_GROUP, startClinicalConsumer } from "./events/clinical.js";
export { reconcileAllDoctors, syncDoctorFromSource } from "./domain/reconcile.js";
export type { SchedulingDeps } from "./domain/deps.js";
export { STREAMS };

export interface StartSchedulingOptions {
  config?: SchedulingConfig;
  clock?: () => Date;
  doctors?: DoctorsClient;
  /** Overrides the accounts client built from ACCOUNTS_URL. */
  patients?: PatientDirectory;
  /** Run the hold sweep and periodic reconciliation (default true). */
  jobs?: boolean;
  /** Share the process's event bus (else one from env: Redis when REDIS_URL is set). */
  bus?: EventBus;
}

export async function startScheduling(env: Record<string, string | undefined> = process.env, options: StartSchedulingOptions = {}) {
  const config = options.config ?? loadSchedulingConfig(env);
  const logger = createLogger("scheduling", env.LOG_LEVEL);
  // Reasons and feedback comments are sealed with the platform's data keys (the same CLINIGRAPH_DATA_KEYS
  // as accounts; no blind index: scheduling never looks free text up). Read before anything starts.
  const cipher = fieldCipherFromEnv(env, { blindIndex: false });
  const prisma = createPrisma(config.databaseUrl);
  const patients = options.patients ?? createHttpPatientDirectory({ url: config.accountsUrl, routerSecrets: config.routerSecrets });
  const deps: SchedulingDeps = { prisma, rules: config.rules, clock: options.clock ?? (() => new Date()), cipher, patients, logger };
  const doctors = options.doctors ?? createHttpDoctorsClient({ url: config.doctorsUrl, routerSecrets: config.routerSecrets });
  // Events: outbox → relay → bus (Redis Streams with REDIS_URL, else in process) → live feeds.
  const namespace = env.EVENTS_NAMESPACE ?? "";
  const ownBus = !options.bus;
  const bus = options.bus ?? (await createEventBus({ redisUrl: env.REDIS_URL || undefined, logger }));
  const live: LiveFeed = await createLiveFeed({ redisUrl: env.REDIS_URL || undefined, namespace });
  const relay = startOutboxRelay({
    connectionString: config.databaseUrl,
    schema: "scheduling",
    source: "clinigraph/scheduling",
    bus,
    streamOf: (type) => namespace + streamOf(type),
    notifyChannel: OUTBOX_CHANNEL,
    logger,
  });
  const bridge = startLiveBridge({ bus, live, logger, namespace });
  // The saga back from clinical: an encounter finished or refused fulfils its checked-in appointment.
  const encounters = startClinicalConsumer({ bus, deps, logger, namespace });

  const server = await buildSchedulingServer({
    deps,
    doctors,
    live,
    routerSecrets: config.routerSecrets,
    logger,
    exposeInternalErrors: config.exposeInternalErrors,
  });
  const running: RunningServer = await server.listen(config.port, config.host);
  const jobs = options.jobs === false ? null : startJobs(deps, doctors, logger, config);
  return {
    ...running,
    deps,
    doctors,
    bus,
    relay,
    /** The live-feed consumer (tests wait for it to be idle). */
    bridge,
    /** The consumer of clinical's encounter outcomes (tests wait for it to be idle). */
    encounters,
    async close() {
      await jobs?.stop();
      await running.close();
      await relay.stop();
      await bridge.stop();
      await encounters.stop();
      await live.close();
      if (ownBus) await bus.close();
      await prisma.$disconnect();
    },
  };
}
