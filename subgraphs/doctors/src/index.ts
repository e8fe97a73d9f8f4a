/**
 * The doctors subgraph's composition root: config → deps → outbox relay → server. `startDoctors(env, options)` is what
 * a launcher (main.ts, scripts/start.ts, the e2e stack) calls; closing it also stops the relay and closes the database
 * pool and the event bus it opened.
 */
import { type EventBus, startSubgraphEvents, outboxStaffActionWriter } from "@clinigraph/events";
import {
  createLogger,
  createSqlPool,
  type Env,
  type Logger,
  type RunningSubgraph,
  type Sql,
  createTracing,
  createServiceMetrics,
  once,
} from "@clinigraph/platform";
import { loadDoctorsConfig, type DoctorsConfig } from "./config.js";
import { createHttpAccountsClient } from "./data/accountsClient.js";
import { createHttpSchedulingClient } from "./data/schedulingClient.js";
import { createPrismaClient, pingDatabase, type PrismaClient } from "./data/prisma.js";
import { createRepositories } from "./data/repositories.js";
import type { Deps } from "./domain/deps.js";
import type { AccountsClient, SchedulingClient } from "./domain/ports.js";
import { startAccountsConsumer } from "./events/consumers/accounts.js";
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
export { ACCOUNTS_GROUP, startAccountsConsumer } from "./events/consumers/accounts.js";

export interface StartDoctorsOptions {
  /** Default: loadDoctorsConfig(env). */
  config?: DoctorsConfig;
  /** Default: a pino logger at LOG_LEVEL. */
  logger?: Logger;
  /** Replaces the HTTP client of the accounts subgraph (tests). */
  accounts?: AccountsClient;
  /** Replaces the HTTP client of the scheduling subgraph (tests). */
  scheduling?: SchedulingClient;
  /** Runs on this client instead of one opened on DATABASE_URL (tests: one that logs its queries); its owner closes it. */
  prisma?: PrismaClient;
  /** With `prisma`: the hand-written reads go through this (tests: a pool that logs its queries); its owner closes it. */
  sql?: Sql;
  clock?: () => Date;
  /** Share the process's event bus (else one from the config: Redis with REDIS_URL). */
  bus?: EventBus;
}

export async function startDoctors(env: Env, options: StartDoctorsOptions = {}): Promise<RunningSubgraph> {
  const config = options.config ?? loadDoctorsConfig(env);
  const logger = options.logger ?? createLogger("doctors", config.logLevel);
  // Spans exported over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set; otherwise off.
  const tracing = createTracing("doctors", env);
  // One connection pool for the process: Prisma's client runs over it, and so do the hand-written reads.
  const pool = options.prisma ? undefined : createSqlPool(config.databaseUrl, { tracing, max: config.databasePoolSize });
  // Metrics (served at /metrics): requests, the pool, the outbox (ADR 24).
  const metrics = createServiceMetrics("doctors");
  if (pool) metrics.observePool("main", pool);
  const prisma = options.prisma ?? createPrismaClient(pool!);
  const sql: Sql = options.sql ?? pool ?? { query: () => Promise.reject(new Error("pass `sql` with `prisma`")) };
  const disconnect = async () => {
    if (options.prisma) return;
    await prisma.$disconnect();
    await pool!.end();
  };
  const deps: Deps = {
    ...createRepositories(prisma, sql),
    accounts: options.accounts ?? createHttpAccountsClient({ url: config.accountsUrl, routerSecrets: config.routerSecrets }),
    scheduling: options.scheduling ?? createHttpSchedulingClient({ url: config.schedulingUrl, routerSecrets: config.routerSecrets }),
    clock: options.clock ?? (() => new Date()),
  };
  // Events: outbox → relay → bus (Redis Streams with REDIS_URL, else in process); scheduling consumes DoctorScheduleChanged.
  const events = await startSubgraphEvents({ service: "doctors", settings: config, logger, metrics, tracing, shared: options.bus, pool }).catch(
    async (err: unknown) => {
      await disconnect();
      throw err;
    },
  );
  const { relay } = events;
  // accounts' UserDeactivated / UserReactivated of a DOCTOR user deactivate or reactivate their doctor.
  const userChanges = startAccountsConsumer({ bus: events.bus, deps, logger, namespace: config.namespace });
  const stopWorkers = once(async () => {
    await userChanges.stop();
    await events.stopWorkers();
  });
  const stopEvents = async () => {
    await stopWorkers();
    await events.release();
    await tracing.shutdown();
  };
  try {
    const server = await buildDoctorsServer({
      tracing,
      deps,
      routerSecrets: config.routerSecrets,
      logger,
      checkReady: () => pingDatabase(prisma),
      exposeInternalErrors: config.exposeInternalErrors,
      metrics,
      staffActions: { write: outboxStaffActionWriter(sql, "doctors") },
    });
    const running = await server.listen(config.port, config.host);
    let closed: Promise<void> | undefined;
    return {
      ...running,
      workers: { relays: [relay], consumers: [userChanges] },
      stopWorkers,
      // Once only (a pool ends once): an outage test closes doctors before its stack closes everything.
      close: () =>
        (closed ??= (async () => {
          await stopWorkers();
          await running.close();
          await stopEvents();
          await disconnect();
        })()),
    };
  } catch (err) {
    await stopEvents();
    await disconnect();
    throw err;
  }
}
