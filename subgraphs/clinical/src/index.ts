import {
  createFieldCipher,
  createHttpPatientDirectory,
  createLogger,
  createServiceMetrics,
  once,
  createSqlPool,
  type Env,
  type PatientDirectory,
  type RunningSubgraph,
  createTracing,
} from "@clinigraph/platform";
import { createLiveFeed, type EventBus, startSubgraphEvents, outboxStaffActionWriter } from "@clinigraph/events";
import { loadClinicalConfig, type ClinicalConfig } from "./config.js";
import { createHttpDoctorsClient } from "./data/doctorsClient.js";
import { createPrisma } from "./data/prisma.js";
import { createRepositories, pingDatabase } from "./data/repositories.js";
import type { Deps } from "./domain/deps.js";
import type { DoctorsClient } from "./domain/ports.js";
import { startAppointmentConsumer } from "./events/consumers/appointments.js";
import { startBoardConsumer } from "./events/consumers/board.js";
import { startWorklistConsumer, worklistSwitch } from "./events/consumers/worklist.js";
import { buildClinicalServer } from "./server.js";

export { buildClinicalServer, typeDefs } from "./server.js";
export { loadClinicalConfig, type ClinicalConfig } from "./config.js";
export { createPrisma } from "./data/prisma.js";
export { createRepositories } from "./data/repositories.js";
export { createHttpDoctorsClient, type DoctorsClient } from "./data/doctorsClient.js";
export { createHttpPatientDirectory, type PatientDirectory } from "@clinigraph/platform";
export { APPOINTMENTS_GROUP, startAppointmentConsumer } from "./events/consumers/appointments.js";
export { BOARD_GROUP, startBoardConsumer } from "./events/consumers/board.js";
export { WORKLIST_GROUP, startWorklistConsumer, type WorklistSwitch } from "./events/consumers/worklist.js";
export type { Deps, ClinicalDeps } from "./domain/deps.js";

export interface StartClinicalOptions {
  config?: ClinicalConfig;
  clock?: () => Date;
  doctors?: DoctorsClient;
  /** Overrides the accounts client built from ACCOUNTS_URL. */
  patients?: PatientDirectory;
  /** Share the process's event bus (else one from the config: Redis when REDIS_URL is set). */
  bus?: EventBus;
  /** Run the examiners' worklist consumer (default true); `worklist.start()` starts it later. */
  worklist?: boolean;
}

export async function startClinical(env: Env, options: StartClinicalOptions = {}) {
  const config = options.config ?? loadClinicalConfig(env);
  const { namespace, redisUrl } = config;
  const logger = createLogger("clinical", config.logLevel);
  // Spans exported over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set; otherwise off.
  const tracing = createTracing("clinical", env);
  // Clinical text is sealed with the platform's data keys; no blind index: it is never looked up.
  const cipher = createFieldCipher(config.cipherKeys);
  // One pool: the repositories' SQL, and the Prisma client tests inspect the database with.
  const pool = createSqlPool(config.databaseUrl, { tracing, max: config.databasePoolSize });
  const prisma = createPrisma(pool);
  // Metrics (served at /metrics): requests, the pool (Prisma's too), the outbox, every consumer group (ADR 24).
  const metrics = createServiceMetrics("clinical");
  metrics.observePool("main", pool);
  const clock = options.clock ?? (() => new Date());
  const deps: Deps = {
    ...createRepositories(pool, cipher, clock),
    doctors: options.doctors ?? createHttpDoctorsClient({ url: config.doctorsUrl, routerSecrets: config.routerSecrets }),
    patients: options.patients ?? createHttpPatientDirectory({ url: config.accountsUrl, routerSecrets: config.routerSecrets }),
    clock,
    logger,
    clinicTimezone: config.clinicTimezone,
  };
  const events = await startSubgraphEvents({ service: "clinical", settings: config, logger, metrics, tracing, shared: options.bus, pool });
  const { bus, relay } = events;
  // Events: outbox → relay → bus; scheduling's appointment events → encounters and care relationships.
  const appointments = startAppointmentConsumer({ bus, deps, logger, namespace });
  // The clinic board (read model) and the live feeds of its subscriptions (Redis with REDIS_URL, else in process).
  const live = await createLiveFeed({ redisUrl, namespace });
  const board = startBoardConsumer({ bus, deps, live, logger, namespace });
  // The examiners' worklist (read model of clinical's examination events), switchable on its own.
  const worklist = worklistSwitch(() => startWorklistConsumer({ bus, deps, logger, namespace }), options.worklist !== false);
  const server = await buildClinicalServer({
    tracing,
    deps,
    routerSecrets: config.routerSecrets,
    logger,
    exposeInternalErrors: config.exposeInternalErrors,
    live,
    checkReady: () => pingDatabase(pool),
    metrics,
    staffActions: { write: outboxStaffActionWriter(pool, "clinical") },
  });
  const running = await server.listen(config.port, config.host);
  const stopWorkers = once(async () => {
    await appointments.stop();
    await board.stop();
    await worklist.stop();
    await events.stopWorkers();
  });
  const started: RunningSubgraph = {
    ...running,
    workers: { relays: [relay], consumers: [appointments, board, worklist] },
    stopWorkers,
    async close() {
      await stopWorkers();
      await running.close();
      await live.close();
      await events.release();
      await tracing.shutdown();
      await prisma.$disconnect();
      await pool.end();
    },
  };
  return {
    ...started,
    deps,
    /** A Prisma client on the service's pool (tests inspect the database through it). */
    prisma,
    /** The field cipher sealing clinical text (tests open sealed columns with it). */
    cipher,
    bus,
    relay,
    /** The appointment-events consumer (tests wait for it to be idle). */
    appointments,
    /** The clinic board's consumer (tests wait for it to be idle). */
    board,
    live,
    /** The examiners' worklist consumer, with its off switch (examiners' functions down). */
    worklist,
  };
}
