import { createLogger, fieldCipherFromEnv, type RunningServer } from "@clinigraph/platform";
import { createEventBus, type EventBus } from "@clinigraph/events";
import { loadAccountsConfig, type AccountsConfig } from "./config.js";
import { createPrisma } from "./data/prisma.js";
import { createMemoryLoginThrottle, createRedisLoginThrottle } from "./data/loginThrottle.js";
import { createMemoryRegistrationThrottle, createRedisRegistrationThrottle } from "./data/registrationThrottle.js";
import { createSmtpMailer } from "./data/mailer.js";
import { buildAccountsServer, type AccountsServer } from "./server.js";
import { combineCareRelationshipSources, createHttpCareRelationshipSource } from "./data/schedulingClient.js";
import type { CareRelationshipSource } from "./domain/careRelationships.js";
import { startCareProjection } from "./events/careProjection.js";
import { startAuditProjection } from "./events/auditProjection.js";

export { buildAccountsServer, typeDefs, type AccountsServer, type AccountsServerDeps } from "./server.js";
export { loadAccountsConfig, type AccountsConfig } from "./config.js";
export { createPrisma } from "./data/prisma.js";
export { ensureAdmin, createStaffUser, registerPatient } from "./domain/users.js";
export { ACCESS_TOKEN_AUDIENCE, ACCESS_TOKEN_ISSUER } from "./data/accessTokens.js";
export { CARE_PROJECTION_GROUP, startCareProjection } from "./events/careProjection.js";
export { AUDIT_PROJECTION_GROUP, startAuditProjection } from "./events/auditProjection.js";
export type { CareRelationship, CareRelationshipSource } from "./domain/careRelationships.js";
export { combineCareRelationshipSources, createHttpCareRelationshipSource } from "./data/schedulingClient.js";

export interface StartAccountsOptions {
  /** Share the process's event bus (else one from env: Redis when REDIS_URL is set). */
  bus?: EventBus;
  /** Overrides the scheduling client built from SCHEDULING_URL. */
  scheduling?: CareRelationshipSource;
}

/** Starts accounts from env (or the given config) and returns the listening server and its parts. */
export async function startAccounts(
  env: Record<string, string | undefined> = process.env,
  config: AccountsConfig = loadAccountsConfig(env),
  options: StartAccountsOptions = {},
) {
  const logger = createLogger("accounts", env.LOG_LEVEL);
  const prisma = createPrisma(config.databaseUrl);
  const throttle = config.redisUrl ? await createRedisLoginThrottle(config.redisUrl, config.redisNamespace) : createMemoryLoginThrottle();
  const registrationThrottle = config.redisUrl
    ? await createRedisRegistrationThrottle(config.redisUrl, config.redisNamespace)
    : createMemoryRegistrationThrottle();
  // Registration codes by e-mail (REGISTRATION_VERIFICATION=email, the default): over SMTP_URL.
  const mailer = config.smtp ? createSmtpMailer(config.smtp.url, config.smtp.from) : undefined;
  const server: AccountsServer = await buildAccountsServer({
    config,
    prisma,
    throttle,
    registrationThrottle,
    mailer,
    cipher: fieldCipherFromEnv(env),
    logger,
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
  // Care relationships from scheduling's appointment events (ADR 0011).
  const ownBus = !options.bus;
  const bus = options.bus ?? (await createEventBus({ redisUrl: env.REDIS_URL || undefined, logger }));
  const careProjection = startCareProjection({ bus, store: server.careRelationships, logger, namespace: config.redisNamespace });
  // Reads of patient data in other subgraphs, into the audit log.
  const auditProjection = startAuditProjection({ bus, audit: server.audit, logger, namespace: config.redisNamespace });
  const running: RunningServer = await server.listen(config.port, config.host);
  return {
    ...running,
    server,
    /** The care-relationship consumer (tests wait for it to be idle). */
    careProjection,
    /** The audit consumer (tests wait for it to be idle). */
    auditProjection,
    async close() {
      await running.close();
      await careProjection.stop();
      await auditProjection.stop();
      if (ownBus) await bus.close();
      await throttle.close();
      await registrationThrottle.close();
      mailer?.close();
      await prisma.$disconnect();
    },
  };
}
