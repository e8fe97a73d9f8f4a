import {
  createFieldCipher,
  createLogger,
  type Env,
  type RunningServer,
  type RunningSubgraph,
  createTracing,
  createServiceMetrics,
  createSqlPool,
  once,
} from "@clinigraph/platform";
import { type EventBus, type OutboxRelay, startSubgraphEvents } from "@clinigraph/events";
import { loadAccountsConfig } from "./config.js";
import { createPrisma } from "./data/prisma.js";
import { createMemoryLoginThrottle, createRedisLoginThrottle } from "./data/loginThrottle.js";
import { createMemoryRegistrationThrottle, createRedisRegistrationThrottle } from "./data/registrationThrottle.js";
import { createSmtpMailer } from "./data/mailer.js";
import { createNotificationsEmailChangeMessages } from "./data/notificationsMessages.js";
import { buildAccountsServer, type AccountsServer } from "./server.js";
import { combineCareRelationshipSources, createHttpCareRelationshipSource } from "./data/schedulingClient.js";
import type { CareRelationshipSource } from "./domain/ports.js";
import { startCareProjection } from "./events/consumers/careProjection.js";
import { startAuditProjection } from "./events/consumers/auditProjection.js";
import { createExportSources, type ExportSubgraphUrls } from "./data/exportClients.js";
import { startDataExportJobs, type DataExportJobs } from "./jobs.js";

export { ACCOUNTS_SELF_AUDITED, buildAccountsServer, typeDefs, type AccountsServer, type AccountsServerDeps } from "./server.js";
export { loadAccountsConfig, type AccountsConfig } from "./config.js";
export { createPrisma } from "./data/prisma.js";
export { ensureAdmin, createStaffUser, registerPatient } from "./domain/users.js";
export { ACCESS_TOKEN_AUDIENCE, ACCESS_TOKEN_ISSUER } from "./data/accessTokens.js";
export { CARE_PROJECTION_GROUP, startCareProjection } from "./events/consumers/careProjection.js";
export { AUDIT_PROJECTION_GROUP, startAuditProjection } from "./events/consumers/auditProjection.js";
export type { Deps } from "./domain/deps.js";
export type { CareRelationship } from "./domain/types.js";
export type { CareRelationshipSource } from "./domain/ports.js";
export { combineCareRelationshipSources, createHttpCareRelationshipSource } from "./data/schedulingClient.js";
export type { ExportSubgraphUrls } from "./data/exportClients.js";
export type { DataExportJobs } from "./jobs.js";

export interface StartAccountsOptions {
  /** Share the process's event bus (else one from the config: Redis when REDIS_URL is set). */
  bus?: EventBus;
  /** Overrides the scheduling client built from SCHEDULING_URL. */
  scheduling?: CareRelationshipSource;
  /**
   * Where the data-export worker finds the subgraphs it reads as the patient, asked at each export (a test stack starts
   * accounts before them); default: from the config (SCHEDULING_URL, CLINICAL_URL, BILLING_URL, NOTIFICATIONS_URL).
   */
  exportUrls?: () => ExportSubgraphUrls;
  /** false: no data-export worker in this process (exports stay PENDING for another instance). */
  dataExportWorker?: boolean;
  /**
   * Where notifications is (it sends the e-mail change's messages), asked at each message (a test stack starts accounts
   * before it); default: NOTIFICATIONS_URL.
   */
  notificationsUrl?: () => string | null;
}

export interface RunningAccounts extends RunningSubgraph {
  server: AccountsServer;
  /** The care-relationship consumer (tests wait for it to be idle). */
  careProjection: ReturnType<typeof startCareProjection>;
  /** The audit consumer (tests wait for it to be idle). */
  auditProjection: ReturnType<typeof startAuditProjection>;
  /** The data-export worker (tests drain it), null when turned off. */
  dataExports: DataExportJobs | null;
  /** The outbox relay (tests wait for it to publish). */
  relay: OutboxRelay;
}

/** Starts accounts from the environment and returns the listening server, its parts and its background workers. */
export async function startAccounts(env: Env, options: StartAccountsOptions = {}): Promise<RunningAccounts> {
  const config = loadAccountsConfig(env);
  const logger = createLogger("accounts", config.logLevel);
  // Spans exported over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set; otherwise off.
  const tracing = createTracing("accounts", env);
  // Prisma over the platform's pool, so that /metrics reports it with the requests and the consumer groups (ADR 24).
  const metrics = createServiceMetrics("accounts");
  const pool = createSqlPool(config.databaseUrl, { tracing, max: config.databasePoolSize ?? 10 });
  metrics.observePool("main", pool);
  const prisma = createPrisma(pool);
  const throttle = config.redisUrl ? await createRedisLoginThrottle(config.redisUrl, config.namespace) : createMemoryLoginThrottle();
  const registrationThrottle = config.redisUrl ? await createRedisRegistrationThrottle(config.redisUrl, config.namespace) : createMemoryRegistrationThrottle();
  // Registration codes by e-mail (REGISTRATION_VERIFICATION=email, the default): over SMTP_URL.
  const mailer = config.smtp ? createSmtpMailer(config.smtp.url, config.smtp.from) : undefined;
  // The e-mail change's code and notices: sent by notifications (in the user's language, in its delivery log).
  const emailChangeMessages = createNotificationsEmailChangeMessages({
    url: options.notificationsUrl ?? (() => config.notificationsUrl),
    routerSecrets: config.routerSecrets,
    timeoutMs: config.notificationsTimeoutMs,
  });
  const server = await buildAccountsServer({
    tracing,
    config,
    prisma,
    throttle,
    registrationThrottle,
    mailer,
    emailChangeMessages,
    cipher: createFieldCipher(config.cipherKeys),
    logger,
    metrics,
    dataExportSettings: config.dataExport.settings,
    // Asked on a miss of the projection: scheduling (appointments), then clinical (encounters, walk-ins).
    scheduling:
      options.scheduling ??
      combineCareRelationshipSources(
        [
          { url: config.schedulingUrl, field: "myCareRelationships" },
          { url: config.clinicalUrl, field: "myEncounterPatients" },
        ]
          .filter((s): s is { url: string; field: string } => s.url !== null)
          .map(({ url, field }) => createHttpCareRelationshipSource({ url, field, routerSecrets: config.routerSecrets, timeoutMs: config.careCheckTimeoutMs })),
      ),
  });
  // Events: outbox → relay → bus (UserDeactivated, UserReactivated, UserRoleChanged on the accounts stream), and consumers.
  const events = await startSubgraphEvents({ service: "accounts", settings: config, logger, metrics, tracing, shared: options.bus, pool });
  const { bus, relay } = events;
  const consumerOptions = { bus, deps: server.deps, logger, namespace: config.namespace };
  // Care relationships from scheduling's appointment events and clinical's encounters (ADR 0011).
  const careProjection = startCareProjection(consumerOptions);
  // Reads of patient data in other subgraphs, into the audit log.
  const auditProjection = startAuditProjection(consumerOptions);
  // Patients' data exports, assembled through every subgraph's API as the patient (docs/adr/0027).
  const configuredUrls: ExportSubgraphUrls = {
    scheduling: config.schedulingUrl,
    clinical: config.clinicalUrl,
    billing: config.dataExport.billingUrl,
    notifications: config.dataExport.notificationsUrl,
    doctors: config.dataExport.doctorsUrl,
  };
  const dataExports =
    options.dataExportWorker === false
      ? null
      : startDataExportJobs(
          {
            ...server.deps,
            sources: createExportSources({
              urls: options.exportUrls ?? (() => configuredUrls),
              routerSecrets: config.routerSecrets,
              timeoutMs: config.dataExport.callTimeoutMs,
            }),
          },
          logger,
          { pollMs: config.dataExport.pollMs, purgeMs: config.dataExport.purgeMs },
        );
  const running: RunningServer = await server.listen(config.port, config.host);
  let closed: Promise<void> | undefined;
  const stopWorkers = once(async () => {
    await dataExports?.stop();
    await careProjection.stop();
    await auditProjection.stop();
    await events.stopWorkers();
  });
  return {
    ...running,
    server,
    careProjection,
    auditProjection,
    dataExports,
    relay,
    workers: { relays: [relay], consumers: [careProjection, auditProjection] },
    stopWorkers,
    // Once only (a pool ends once): an outage test closes accounts before its stack closes everything.
    close: () =>
      (closed ??= (async () => {
        await stopWorkers();
        await running.close();
        await events.release();
        await tracing.shutdown();
        await throttle.close();
        await registrationThrottle.close();
        mailer?.close();
        await prisma.$disconnect();
        await pool.end();
      })()),
  };
}
