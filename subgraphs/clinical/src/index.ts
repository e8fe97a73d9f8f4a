import { createLogger, fieldCipherFromEnv, type RunningServer } from "@clinigraph/platform";
import { createEventBus, createLiveFeed, startOutboxRelay, streamOf, type EventBus } from "@clinigraph/events";
import { loadClinicalConfig, type ClinicalConfig } from "./config.js";
import { createHttpDoctorsClient, type DoctorsClient } from "./data/doctorsClient.js";
import { createHttpPatientDirectory, type PatientDirectory } from "@clinigraph/platform";
import { createPrisma } from "./data/prisma.js";
import type { ClinicalDeps } from "./domain/deps.js";
import { startAppointmentConsumer } from "./events/appointments.js";
import { startBoardConsumer } from "./events/board.js";
import { OUTBOX_CHANNEL } from "./events/outbox.js";
import { startWorklistConsumer, worklistSwitch } from "./events/worklist.js";
import { buildClinicalServer } from "./server.js";

export { buildClinicalServer, typeDefs } from "./server.js";
export { loadClinicalConfig, type ClinicalConfig } from "./config.js";
export { createPrisma } from "./data/prisma.js";
export { createHttpDoctorsClient, type DoctorsClient } from "./data/doctorsClient.js";
export { createHttpPatientDirectory, type PatientDirectory } from "@clinigraph/platform";
export { APPOINTMENTS_GROUP, startAppointmentConsumer } from "./events/appointments.js";
export { BOARD_GROUP, startBoardConsumer } from "./events/board.js";
export { WORKLIST_GROUP, startWorklistConsumer, type WorklistSwitch } from "./events/worklist.js";
export type { ClinicalDeps } from "./domain/deps.js";

export interface StartClinicalOptions {
  config?: ClinicalConfig;
  clock?: () => Date;
  doctors?: DoctorsClient;
  /** Overrides the accounts client built from ACCOUNTS_URL. */
  patients?: PatientDirectory;
  /** Share the process's event bus (else one from env: Redis when REDIS_URL is set). */
  bus?: EventBus;
  /** Run the examiners' worklist consumer (default true); `worklist.start()` starts it later. */
  worklist?: boolean;
}

export async function startClinical(env: Record<string, string | undefined> = process.env, options: StartClinicalOptions = {}) {
  const config = options.config ?? loadClinicalConfig(env);
  const logger = createLogger("clinical", env.LOG_LEVEL);
  // Clinical text is sealed with the platform's data keys (ADR 3); no blind index: it is never looked up.
  const cipher = fieldCipherFromEnv(env, { blindIndex: false });
  const prisma = createPrisma(config.databaseUrl);
  const doctors = options.doctors ?? createHttpDoctorsClient({ url: config.doctorsUrl, routerSecrets: config.routerSecrets });
  const patients = options.patients ?? createHttpPatientDirectory({ url: config.accountsUrl, routerSecrets: config.routerSecrets });
  const deps: ClinicalDeps = { prisma, cipher, doctors, patients, clock: options.clock ?? (() => new Date()), logger, clinicTimezone: config.clinicTimezone };
  const namespace = env.EVENTS_NAMESPACE ?? "";
  const ownBus = !options.bus;
  const bus = options.bus ?? (await createEventBus({ redisUrl: env.REDIS_URL || undefined, logger }));
  // Events: outbox → relay → bus; scheduling's appointment events → encounters and care relationships.
  const relay = startOutboxRelay({
    connectionString: config.databaseUrl,
    schema: "clinical",
    source: "clinigraph/clinical",
    bus,
    streamOf: (type) => namespace + streamOf(type),
    notifyChannel: OUTBOX_CHANNEL,
    logger,
  });
  const appointments = startAppointmentConsumer({ bus, deps, logger, namespace });
  // The clinic board (read model) and the live feeds of its subscriptions (Redis with REDIS_URL, else in process).
  const live = await createLiveFeed({ redisUrl: env.REDIS_URL || undefined, namespace });
  const board = startBoardConsumer({ bus, deps, live, logger, namespace });
  // The examiners' worklist (read model of clinical's examination events), switchable on its own.
  const worklist = worklistSwitch(() => startWorklistConsumer({ bus, deps, logger, namespace }), options.worklist !== false);
  const server = await buildClinicalServer({ deps, routerSecrets: config.routerSecrets, logger, exposeInternalErrors: config.exposeInternalErrors, live });
  const running: RunningServer = await server.listen(config.port, config.host);
  return {
    ...running,
    deps,
    bus,
    relay,
    /** The appointment-events consumer (tests wait for it to be idle). */
    appointments,
    /** The clinic board's consumer (tests wait for it to be idle). */
    board,
    live,
    /** The examiners' worklist consumer, with its off switch (examiners' functions down). */
    worklist,
    async close() {
      await running.close();
      await appointments.stop();
      await board.stop();
      await live.close();
      await worklist.stop();
      await relay.stop();
      if (ownBus) await bus.close();
      await prisma.$disconnect();
    },
  };
}
