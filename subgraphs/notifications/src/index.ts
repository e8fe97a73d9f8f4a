/** Starts the notifications subgraph: config → dependencies → event consumers, scheduler, outbox relay → server. */
import { createLogger, type Env, type RunningSubgraph, createTracing, createServiceMetrics, once } from "@clinigraph/platform";
import { type EventBus, startSubgraphEvents, outboxStaffActionWriter } from "@clinigraph/events";
import { createEmailChannel, createPushChannel, createSmsChannel } from "./channels/index.js";
import { loadNotificationsConfig, type NotificationsConfig } from "./config.js";
import { createAccountsContacts } from "./data/accountsContacts.js";
import { createAppointmentStateRepository } from "./data/appointmentStateRepository.js";
import { createDatabasePool, pingDatabase } from "./data/database.js";
import { createAccountMessageLog, createDeliveryRepository } from "./data/deliveryRepository.js";
import { createDirectory } from "./data/directory.js";
import { createPreferencesRepository } from "./data/preferencesRepository.js";
import { createPushSubscriptionRepository } from "./data/pushSubscriptionRepository.js";
import { createUnitOfWork } from "./data/unitOfWork.js";
import type { Deps } from "./domain/deps.js";
import { RETRY } from "./domain/plan.js";
import type { Channel, ContactDirectory, Directory } from "./domain/ports.js";
import type { NotificationChannel } from "./domain/types.js";
import { startAppointmentsConsumer } from "./events/consumers/appointments.js";
import { startAttentionConsumer } from "./events/consumers/attention.js";
import { startBillingConsumer } from "./events/consumers/billing.js";
import { startClinicalConsumer } from "./events/consumers/clinical.js";
import { startScheduler, type Scheduler } from "./jobs.js";
import { createDeliveryMetrics } from "./metrics/deliveries.js";
import { buildNotificationsServer } from "./server.js";
import { renderMessage } from "./templates/index.js";

export { buildNotificationsServer, typeDefs } from "./server.js";
export { loadNotificationsConfig, type NotificationsConfig } from "./config.js";
export type { Deps } from "./domain/deps.js";
export { dispatchDue } from "./domain/dispatch.js";
export { createDeliveryMetrics } from "./metrics/deliveries.js";

export interface StartNotificationsOptions {
  config?: NotificationsConfig;
  clock?: () => Date;
  /** Replaces the accounts client built from ACCOUNTS_URL (tests). */
  contacts?: ContactDirectory;
  /** Replaces the doctors/scheduling client (tests). */
  directory?: Directory;
  /** Replaces channels built from the configuration (tests). */
  channels?: Partial<Record<NotificationChannel, Channel>>;
  /** Retry policy of temporary failures (tests shorten it). */
  retry?: Deps["dispatch"]["retry"];
  /** Share the process's event bus (else one from the config: Redis with REDIS_URL). */
  bus?: EventBus;
  /** Consumer name within the groups (a second instance in one host needs its own). */
  consumerName?: string;
}

export async function startNotifications(
  env: Env,
  options: StartNotificationsOptions = {},
): Promise<RunningSubgraph & { deps: Deps; scheduler: Scheduler | null }> {
  const config = options.config ?? loadNotificationsConfig(env);
  const logger = createLogger("notifications", config.logLevel);
  // Spans exported over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set; otherwise off.
  const tracing = createTracing("notifications", env);
  const pool = createDatabasePool(config.databaseUrl, config.databasePoolSize, tracing);
  // Metrics (served at /metrics): requests, the pool, the outbox, every consumer group, the deliveries (ADR 24).
  const metrics = createServiceMetrics("notifications");
  metrics.observePool("main", pool);
  const deliveries = createDeliveryRepository(pool);
  const clock = options.clock ?? (() => new Date());
  const channels: Record<NotificationChannel, Channel> = {
    EMAIL: options.channels?.EMAIL ?? createEmailChannel({ smtpUrl: config.smtp?.url ?? null, from: config.smtp?.from ?? "", logger }),
    SMS: options.channels?.SMS ?? createSmsChannel({ twilio: config.twilio }),
    PUSH: options.channels?.PUSH ?? createPushChannel({ vapid: config.vapid }),
  };
  for (const channel of Object.values(channels)) if (channel.notConfigured) logger.warn({ channel: channel.channel }, channel.notConfigured);
  const deps: Deps = {
    preferences: createPreferencesRepository(pool),
    contacts: options.contacts ?? createAccountsContacts({ url: config.accountsUrl, routerSecrets: config.routerSecrets }),
    deliveries,
    accountMessages: createAccountMessageLog(pool),
    appointments: createAppointmentStateRepository(pool),
    pushSubscriptions: createPushSubscriptionRepository(pool),
    directory:
      options.directory ?? createDirectory({ doctorsUrl: config.doctorsUrl, schedulingUrl: config.schedulingUrl, routerSecrets: config.routerSecrets }),
    channels,
    render: renderMessage,
    dispatch: {
      batchSize: config.scheduler.batchSize,
      leaseMs: config.scheduler.leaseMs,
      concurrency: config.scheduler.concurrency,
      retry: options.retry ?? RETRY,
      webAppUrl: config.webAppUrl,
    },
    pushPublicKey: config.vapid?.publicKey ?? null,
    unitOfWork: createUnitOfWork(pool),
    clock,
    logger,
    metrics: createDeliveryMetrics(metrics, () => deliveries.overdue(clock()), clock),
  };
  const events = await startSubgraphEvents({ service: "notifications", settings: config, logger, metrics, tracing, shared: options.bus, pool });
  const { bus, relay } = events;
  const consumerOptions = { bus, deps, logger, namespace: config.namespace, ...(options.consumerName ? { consumer: options.consumerName } : {}) };
  const consumers = [
    startAppointmentsConsumer(consumerOptions),
    // AppointmentNeedsAttention (not a lifecycle event): a deactivated doctor's patients are told to rebook.
    startAttentionConsumer(consumerOptions),
    startClinicalConsumer(consumerOptions),
    startBillingConsumer(consumerOptions),
  ];
  const scheduler = config.schedulerEnabled ? startScheduler(deps, logger, { pollMs: config.scheduler.pollMs }) : null;
  const server = await buildNotificationsServer({
    tracing,
    deps,
    routerSecrets: config.routerSecrets,
    logger,
    exposeInternalErrors: config.exposeInternalErrors,
    checkReady: () => pingDatabase(pool),
    metrics,
    staffActions: { write: outboxStaffActionWriter(pool, "notifications") },
  });
  const running = await server.listen(config.port, config.host);
  logger.info({ url: running.url, scheduler: Boolean(scheduler) }, "listening");
  const stopWorkers = once(async () => {
    await Promise.all(consumers.map((consumer) => consumer.stop()));
    await scheduler?.stop();
    await events.stopWorkers();
  });
  return {
    ...running,
    deps,
    scheduler,
    workers: { relays: [relay], consumers: scheduler ? [...consumers, scheduler] : consumers },
    stopWorkers,
    async close() {
      await stopWorkers();
      await running.close();
      await Promise.all(Object.values(channels).map((channel) => channel.close()));
      await events.release();
      await tracing.shutdown();
      await pool.end();
    },
  };
}
