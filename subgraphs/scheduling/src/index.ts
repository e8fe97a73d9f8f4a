import {
  createFieldCipher,
  createSqlPool,
  type SqlPool,
  createHttpPatientDirectory,
  createLogger,
  createServiceMetrics,
  once,
  type Env,
  type FieldCipher,
  type Logger,
  type PatientDirectory,
  type RunningSubgraph,
  createTracing,
} from "@clinigraph/platform";
import { createLiveFeed, STREAMS, type EventBus, startSubgraphEvents, outboxStaffActionWriter } from "@clinigraph/events";
import { loadSchedulingConfig, type SchedulingConfig } from "./config.js";
import { createReadRecorder } from "./data/accessAudit.js";
import { createHttpDoctorsClient } from "./data/doctorsClient.js";
import { createServiceStatusRepository } from "./data/serviceStatusRepository.js";
import { createRepositories, createUnitOfWork } from "./data/unitOfWork.js";
import type { Deps } from "./domain/deps.js";
import type { DoctorsClient } from "./domain/ports.js";
import type { SchedulingRules } from "./domain/types.js";
import { startClinicalConsumer } from "./events/consumers/clinical.js";
import { startCatalogueConsumer } from "./events/consumers/catalogue.js";
import { startDoctorsConsumer } from "./events/consumers/doctors.js";
import { startDoctorStatusConsumer } from "./events/consumers/doctorStatus.js";
import { startJobs } from "./jobs.js";
import { startLiveBridge } from "./live/bridge.js";
import { buildSchedulingServer } from "./server.js";

export { buildSchedulingServer, typeDefs } from "./server.js";
export { loadSchedulingConfig, type SchedulingConfig } from "./config.js";
export { createPrisma } from "./data/prisma.js";
export { createHttpDoctorsClient, type DoctorsClient, type DoctorSnapshot } from "./data/doctorsClient.js";
export { AccountsUnavailable, createHttpPatientDirectory, type PatientDirectory } from "@clinigraph/platform";
export { expireHolds } from "./domain/expireHolds.js";
export { fulfilFromEncounter, REFUSED_NOTE } from "./domain/visitOutcome.js";
export { CLINICAL_GROUP, startClinicalConsumer } from "./events/consumers/clinical.js";
export { DOCTORS_GROUP, startDoctorsConsumer } from "./events/consumers/doctors.js";
export { DOCTOR_STATUS_GROUP, startDoctorStatusConsumer } from "./events/consumers/doctorStatus.js";
export { CATALOGUE_GROUP, startCatalogueConsumer } from "./events/consumers/catalogue.js";
export { reconcileAllDoctors, resyncDoctor, syncDoctorFromSource } from "./domain/reconcile.js";
export type { Deps, SchedulingDeps } from "./domain/deps.js";
export { STREAMS };

/** The real dependencies over one connection pool: repositories, unit of work, read audit. */
export function createSchedulingDeps(options: {
  pool: SqlPool;
  cipher: FieldCipher;
  rules: SchedulingRules;
  clock: () => Date;
  patients: PatientDirectory;
  doctors: DoctorsClient;
  logger?: Logger;
}): Deps {
  const { pool, ...rest } = options;
  // The repositories read the cipher from deps at each call: swapping `deps.cipher` (a key rotation) takes effect at once.
  const cipher = () => deps.cipher;
  const deps: Deps = {
    ...rest,
    ...createRepositories(pool, cipher),
    unitOfWork: createUnitOfWork(pool, cipher),
    serviceStatuses: createServiceStatusRepository(pool),
    readAudit: (identity) => createReadRecorder(pool, identity, deps.clock),
    ping: async () => void (await pool.query("SELECT 1")),
  };
  return deps;
}

export interface StartSchedulingOptions {
  config?: SchedulingConfig;
  clock?: () => Date;
  doctors?: DoctorsClient;
  /** Overrides the accounts client built from ACCOUNTS_URL. */
  patients?: PatientDirectory;
  /** Run the hold sweep and periodic reconciliation (default true). */
  jobs?: boolean;
  /** Share the process's event bus (else one from the config: Redis when REDIS_URL is set). */
  bus?: EventBus;
}

export async function startScheduling(env: Env, options: StartSchedulingOptions = {}) {
  const config = options.config ?? loadSchedulingConfig(env);
  const logger = createLogger("scheduling", config.logLevel);
  // Spans exported over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set; otherwise off.
  const tracing = createTracing("scheduling", env);
  const pool = createSqlPool(config.databaseUrl, { tracing, max: config.databasePoolSize });
  // Metrics (served at /metrics): requests, the pool, the outbox, every consumer group (ADR 24).
  const metrics = createServiceMetrics("scheduling");
  metrics.observePool("main", pool);
  const deps = createSchedulingDeps({
    pool,
    // Reasons and feedback comments are sealed with the platform's data keys (the same CLINIGRAPH_DATA_KEYS as accounts).
    cipher: createFieldCipher(config.cipherKeys),
    rules: config.rules,
    clock: options.clock ?? (() => new Date()),
    patients: options.patients ?? createHttpPatientDirectory({ url: config.accountsUrl, routerSecrets: config.routerSecrets }),
    doctors: options.doctors ?? createHttpDoctorsClient({ url: config.doctorsUrl, routerSecrets: config.routerSecrets }),
    logger,
  });
  // Events: outbox → relay → bus (Redis Streams with REDIS_URL, else in process) → live feeds.
  const { namespace, redisUrl } = config;
  const events = await startSubgraphEvents({ service: "scheduling", settings: config, logger, metrics, tracing, shared: options.bus, pool });
  const { bus, relay } = events;
  const live = await createLiveFeed({ redisUrl, namespace });
  const bridge = startLiveBridge({ bus, live, logger, namespace });
  // The saga back from clinical: an encounter finished or refused fulfils its checked-in appointment.
  const encounters = startClinicalConsumer({ bus, deps, logger, namespace });
  // Doctors' DoctorScheduleChanged events regenerate that doctor's slots (the periodic reconciliation stays as the safety net).
  const doctorChanges = startDoctorsConsumer({ bus, deps, logger, namespace });
  // Doctors' DoctorDeactivated / DoctorReactivated: upcoming appointments flagged (once), slots blocked or back.
  const doctorStatus = startDoctorStatusConsumer({ bus, deps, logger, namespace });
  // Doctors' MedicalServiceChanged events keep the projection of retired services (not booked).
  const catalogueChanges = startCatalogueConsumer({ bus, deps, logger, namespace });

  const server = await buildSchedulingServer({
    tracing,
    deps,
    live,
    routerSecrets: config.routerSecrets,
    logger,
    exposeInternalErrors: config.exposeInternalErrors,
    metrics,
    staffActions: { write: outboxStaffActionWriter(pool, "scheduling") },
  });
  const running = await server.listen(config.port, config.host);
  const jobs = options.jobs === false ? null : startJobs(deps, logger, config);
  const stopWorkers = once(async () => {
    await jobs?.stop();
    await bridge.stop();
    await encounters.stop();
    await doctorChanges.stop();
    await doctorStatus.stop();
    await catalogueChanges.stop();
    await events.stopWorkers();
  });
  const subgraph: RunningSubgraph = {
    ...running,
    workers: { relays: [relay], consumers: [bridge, encounters, doctorChanges, doctorStatus, catalogueChanges] },
    stopWorkers,
    async close() {
      await stopWorkers();
      await running.close();
      await live.close();
      await events.release();
      await tracing.shutdown();
      await pool.end();
    },
  };
  return {
    ...subgraph,
    deps,
    doctors: deps.doctors,
    bus,
    relay,
    /** The live-feed consumer (tests wait for it to be idle). */
    bridge,
    /** The consumer of clinical's encounter outcomes (tests wait for it to be idle). */
    encounters,
    /** The consumer of doctors' DoctorScheduleChanged events (tests wait for it to be idle). */
    doctorChanges,
    /** The consumer of doctors' DoctorDeactivated / DoctorReactivated events. */
    doctorStatus,
    /** The consumer of doctors' MedicalServiceChanged events (tests wait for it to be idle). */
    catalogueChanges,
  };
}
