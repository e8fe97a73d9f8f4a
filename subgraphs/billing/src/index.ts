/** Starts the billing subgraph: config → dependencies → outbox relay → server. */
import { createLogger, createSqlPool, type Env, type RunningSubgraph, createTracing, createServiceMetrics, once } from "@clinigraph/platform";
import { type EventBus, startSubgraphEvents, outboxStaffActionWriter } from "@clinigraph/events";
import { loadBillingConfig, type BillingConfig } from "./config.js";
import { createHmac } from "node:crypto";
import { createReadRecorder } from "./data/accessAudit.js";
import { createAppointmentRepository } from "./data/appointmentRepository.js";
import { createDoctorsCatalogue } from "./data/doctorsCatalogue.js";
import { createInvoicePdfRenderer } from "./data/invoicePdf.js";
import { createInvoiceRepository } from "./data/invoiceRepository.js";
import { createPriceRepository } from "./data/priceRepository.js";
import { createUnitOfWork } from "./data/unitOfWork.js";
import type { Deps } from "./domain/deps.js";
import type { PaymentProvider, ServiceCatalogue } from "./domain/ports.js";
import { paymentRoutes } from "./http/payments.js";
import { createStripeProvider } from "./providers/stripe.js";
import { createTestProvider, type TestProvider } from "./providers/testProvider.js";
import { startAppointmentsConsumer } from "./events/consumers/appointments.js";
import { startClinicalConsumer } from "./events/consumers/clinical.js";
import { buildBillingServer } from "./server.js";

export { buildBillingServer, typeDefs } from "./server.js";
export { loadBillingConfig, type BillingConfig } from "./config.js";
export type { Deps } from "./domain/deps.js";

export interface StartBillingOptions {
  config?: BillingConfig;
  clock?: () => Date;
  /** Replaces the doctors client built from DOCTORS_URL (tests). */
  catalogue?: ServiceCatalogue;
  /** Replaces the payment provider built from the configuration (tests). */
  provider?: PaymentProvider;
  /** Share the process's event bus (else one from the config: Redis with REDIS_URL). */
  bus?: EventBus;
}

export async function startBilling(env: Env, options: StartBillingOptions = {}): Promise<RunningSubgraph & { deps: Deps }> {
  const config = options.config ?? loadBillingConfig(env);
  const logger = createLogger("billing", config.logLevel);
  // Spans exported over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set; otherwise off.
  const tracing = createTracing("billing", env);
  // One pool for the process (DATABASE_POOL_SIZE, default 10); a burst of issues waits up to 10 s for a connection.
  const pool = createSqlPool(config.databaseUrl, { tracing, max: config.databasePoolSize ?? 10, connectionTimeoutMs: 10_000 });
  // Metrics (served at /metrics): requests, the pool, the outbox, every consumer group (ADR 24).
  const metrics = createServiceMetrics("billing");
  metrics.observePool("main", pool);
  // Without Stripe, the local test provider; its webhooks are signed with a secret derived from the router secret.
  const testProvider: TestProvider | null = config.stripe
    ? null
    : createTestProvider({
        publicUrl: config.publicUrl,
        secret: createHmac("sha256", config.routerSecrets[0]!).update("clinigraph test payments").digest("hex"),
      });
  const provider = options.provider ?? (config.stripe ? createStripeProvider(config.stripe) : testProvider!);
  const deps: Deps = {
    prices: createPriceRepository(pool),
    invoices: createInvoiceRepository(pool),
    appointments: createAppointmentRepository(pool),
    catalogue: options.catalogue ?? createDoctorsCatalogue({ url: config.doctorsUrl, routerSecrets: config.routerSecrets }),
    provider,
    documents: createInvoicePdfRenderer({ clinicName: config.clinicName }),
    unitOfWork: createUnitOfWork(pool),
    readAudit: (identity) => createReadRecorder(pool, identity, deps.clock),
    settings: { currency: config.currency, timezone: config.timezone, fees: config.fees },
    clock: options.clock ?? (() => new Date()),
    logger,
  };
  const events = await startSubgraphEvents({ service: "billing", settings: config, logger, metrics, tracing, shared: options.bus, pool });
  const { bus, relay } = events;
  const consumerOptions = { bus, deps, logger, namespace: config.namespace };
  const consumers = [startAppointmentsConsumer(consumerOptions), startClinicalConsumer(consumerOptions)];
  const server = await buildBillingServer({
    tracing,
    deps,
    routerSecrets: config.routerSecrets,
    logger,
    exposeInternalErrors: config.exposeInternalErrors,
    checkReady: async () => void (await pool.query("SELECT 1")),
    routes: paymentRoutes(deps, logger, options.provider ? null : testProvider),
    metrics,
    staffActions: { write: outboxStaffActionWriter(pool, "billing") },
  });
  const running = await server.listen(config.port, config.host);
  logger.info({ url: running.url, paymentProvider: provider.name }, "listening");
  const stopWorkers = once(async () => {
    await Promise.all(consumers.map((consumer) => consumer.stop()));
    await events.stopWorkers();
  });
  if (provider.name === "test") logger.warn("online payments use the local TEST provider (no money moves): set STRIPE_SECRET_KEY for Stripe");
  return {
    ...running,
    deps,
    workers: { relays: [relay], consumers },
    stopWorkers,
    async close() {
      await stopWorkers();
      await running.close();
      await events.release();
      await tracing.shutdown();
      await pool.end();
    },
  };
}
