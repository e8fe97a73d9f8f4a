/** Starts the analytics subgraph: config → dependencies → outbox relay → server. */
import { createLogger, createSqlPool, type Env, type RunningSubgraph, createTracing, createServiceMetrics, once } from "@clinigraph/platform";
import { createLiveFeed, type EventBus, startSubgraphEvents, outboxStaffActionWriter } from "@clinigraph/events";
import { loadAnalyticsConfig, type AnalyticsConfig } from "./config.js";
import { createPrisma } from "./data/prisma.js";
import { createDoctorsCatalogue } from "./data/doctorsCatalogue.js";
import { createBreakdownRepository } from "./data/breakdownRepository.js";
import { createFactRepository } from "./data/factRepository.js";
import { createImportedFactRepository } from "./data/importRepository.js";
import { createRollupRepository } from "./data/rollupRepository.js";
import { createStatusRepository } from "./data/statusRepository.js";
import { createSupplyRepository } from "./data/supplyRepository.js";
import { refreshAllSupply } from "./domain/supply.js";
import { rollUpChanges } from "./domain/rollups.js";
import { createUnitOfWork } from "./data/unitOfWork.js";
import type { Deps } from "./domain/deps.js";
import type { Catalogue } from "./domain/ports.js";
import { createPseudonyms } from "./domain/pseudonyms.js";
import { startAppointmentsConsumer } from "./events/consumers/appointments.js";
import { startBillingConsumer } from "./events/consumers/billing.js";
import { startClinicalConsumer } from "./events/consumers/clinical.js";
import { startDoctorsConsumer } from "./events/consumers/doctors.js";
import { createFactSignals } from "./events/signals.js";
import { buildAnalyticsServer } from "./server.js";

export { buildAnalyticsServer, typeDefs } from "./server.js";
export { loadAnalyticsConfig, type AnalyticsConfig } from "./config.js";
export type { Deps } from "./domain/deps.js";

export interface StartAnalyticsOptions {
  config?: AnalyticsConfig;
  clock?: () => Date;
  /** Share the process's event bus (else one from the config: Redis with REDIS_URL). */
  bus?: EventBus;
  /** Replaces the doctors client built from DOCTORS_URL (tests). */
  catalogue?: Catalogue;
  /** Run the periodic sweep of offered time (default true; tests that drive it themselves turn it off). */
  jobs?: boolean;
}

/** How often every doctor's offered time is refreshed (days entering the horizon, doctors whose events were missed). */
const SUPPLY_SWEEP_MS = 6 * 3_600_000;

export async function startAnalytics(env: Env, options: StartAnalyticsOptions = {}): Promise<RunningSubgraph & { deps: Deps }> {
  const config = options.config ?? loadAnalyticsConfig(env);
  const logger = createLogger("analytics", config.logLevel);
  // Spans exported over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set; otherwise off.
  const tracing = createTracing("analytics", env);
  const pool = createSqlPool(config.databaseUrl, { tracing, max: config.databasePoolSize ?? 10, connectionTimeoutMs: 10_000 });
  const prisma = createPrisma(pool);
  // Metrics (served at /metrics): requests, the pool (Prisma's too), the outbox, every consumer group (ADR 24).
  const metrics = createServiceMetrics("analytics");
  metrics.observePool("main", pool);
  // Fact changes reach kpisToday's subscribers on every instance (Redis with REDIS_URL, else in process).
  const live = await createLiveFeed({ redisUrl: config.redisUrl, namespace: config.namespace });
  const imports = createImportedFactRepository(config.databaseUrl);
  const deps: Deps = {
    status: createStatusRepository(prisma),
    facts: createFactRepository(prisma, pool),
    rollups: createRollupRepository(prisma),
    breakdowns: createBreakdownRepository(prisma),
    supply: createSupplyRepository(prisma),
    imports,
    signals: createFactSignals(live, logger),
    catalogue: options.catalogue ?? createDoctorsCatalogue({ url: config.doctorsUrl, routerSecrets: config.routerSecrets }),
    pseudonyms: createPseudonyms(config.pseudonymKey),
    settings: { timezone: config.timezone, currency: config.currency, minCell: config.minCell },
    unitOfWork: createUnitOfWork(prisma),
    clock: options.clock ?? (() => new Date()),
    logger,
  };
  const events = await startSubgraphEvents({ service: "analytics", settings: config, logger, metrics, tracing, shared: options.bus, pool });
  const { bus, relay } = events;
  const consumerOptions = { bus, deps, logger, namespace: config.namespace };
  const consumers = [
    startAppointmentsConsumer(consumerOptions),
    startClinicalConsumer(consumerOptions),
    startBillingConsumer(consumerOptions),
    startDoctorsConsumer(consumerOptions),
  ];
  // Every instance runs the jobs (the sweep's writes are idempotent; one rollup runs at a time); a failed run is
  // logged and tried again at the next one.
  const running = new Set<Promise<unknown>>();
  const track = (job: Promise<unknown>) => {
    running.add(job);
    void job.finally(() => running.delete(job));
  };
  const sweep = () => track(refreshAllSupply(deps).catch((err: unknown) => logger.warn({ err }, "offered time not refreshed; trying again later")));
  const rollup = () =>
    track(
      rollUpChanges(deps)
        .then((report) => {
          if (report && report.changes > 0) logger.info({ ...report.periods, cells: report.cells, changes: report.changes }, "rolled up");
        })
        .catch((err: unknown) => logger.warn({ err }, "rollup failed; trying again at the next run")),
    );
  const timers = options.jobs === false ? [] : [setInterval(sweep, SUPPLY_SWEEP_MS).unref(), setInterval(rollup, config.rollupMinutes * 60_000).unref()];
  if (options.jobs !== false) {
    sweep();
    rollup();
  }
  const server = await buildAnalyticsServer({
    tracing,
    deps,
    routerSecrets: config.routerSecrets,
    logger,
    exposeInternalErrors: config.exposeInternalErrors,
    live,
    metrics,
    staffActions: { write: outboxStaffActionWriter(pool, "analytics") },
  });
  const listening = await server.listen(config.port, config.host);
  logger.info({ url: listening.url }, "listening");
  const stopWorkers = once(async () => {
    for (const timer of timers) clearInterval(timer);
    await Promise.allSettled([...running]);
    await Promise.all(consumers.map((consumer) => consumer.stop()));
    await events.stopWorkers();
  });
  return {
    ...listening,
    deps,
    workers: { relays: [relay], consumers },
    stopWorkers,
    async close() {
      await stopWorkers();
      await listening.close();
      await live.close();
      await events.release();
      await tracing.shutdown();
      await imports.close();
      await prisma.$disconnect();
      await pool.end();
    },
  };
}
