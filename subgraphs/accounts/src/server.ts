/**
 * Builds the accounts subgraph from its dependencies. Tests import this and listen on port 0.
 */
import { readFileSync } from "node:fs";
import { parse } from "graphql";
import {
  badInput,
  createSubgraphServer,
  DateScalar,
  DateTimeScalar,
  type FieldCipher,
  type Logger,
  type ServiceMetrics,
  type SubgraphServer,
  type Tracing,
} from "@clinigraph/platform";
import { DEFAULT_LOGIN_LIMITS, DEFAULT_REGISTRATION_LIMITS, type AccountsConfig } from "./config.js";
import { createContext, type Context } from "./context.js";
import { createAccessTokenIssuer } from "./data/accessTokens.js";
import { AuditLog } from "./data/auditRepository.js";
import { CareRelationshipRepository } from "./data/careRelationshipRepository.js";
import { DataExportRepository } from "./data/dataExportRepository.js";
import { createMemoryLoginThrottle } from "./data/loginThrottle.js";
import { argon2idHasher } from "./data/passwords.js";
import { checkDatabase, type PrismaClient } from "./data/prisma.js";
import { RefreshTokenRepository } from "./data/refreshTokenRepository.js";
import { RegistrationCodeRepository } from "./data/registrationCodeRepository.js";
import { EmailChangeRepository } from "./data/emailChangeRepository.js";
import { createUnitOfWork } from "./data/unitOfWork.js";
import { createMemoryRegistrationThrottle } from "./data/registrationThrottle.js";
import { noCareRelationshipSource } from "./data/schedulingClient.js";
import { loadOrCreateSigningKeys } from "./data/signingKeys.js";
import { UserRepository } from "./data/userRepository.js";
import type { Deps } from "./domain/deps.js";
import type {
  CareRelationshipSource,
  EmailChangeMessages,
  EmailChangeSettings,
  LoginLimits,
  LoginThrottle,
  Mailer,
  PasswordHasher,
  RegistrationLimits,
  RegistrationThrottle,
  RegistrationVerification,
} from "./domain/ports.js";
import { contactsForService } from "./domain/contacts.js";
import { DEFAULT_DATA_EXPORT_SETTINGS, type DataExportSettings } from "./domain/dataExport.js";
import { endedSessions } from "./domain/sessions.js";
import { ensureAdmin } from "./domain/users.js";
import { resolvers } from "./resolvers/index.js";

/** Accounts' mutations that write their own audit entries, or change nothing of the clinic's data (sessions). */
export const ACCOUNTS_SELF_AUDITED = [
  "setPatientNationalId",
  "createStaffUser",
  "changePassword",
  "login",
  "logout",
  "refreshSession",
  "requestRegistrationCode",
  // Named actions with their target (domain/stewardship.ts, profiles.ts, dataExport.ts).
  "deactivateUser",
  "reactivateUser",
  "changeUserRole",
  "updateMyProfile",
  "updatePatient",
  "requestEmailChange",
  "confirmEmailChange",
  "requestMyDataExport",
  "requestDataExport",
] as const;

export const typeDefs = parse(readFileSync(new URL("./schema.graphql", import.meta.url), "utf8"));

export interface AccountsServerDeps {
  /** The service's tracing (spans per request and root field when on). */
  tracing?: Tracing;
  config: Pick<AccountsConfig, "routerSecrets" | "accessTokenTtlSeconds" | "refreshTokenTtlDays" | "admin" | "exposeInternalErrors"> & {
    loginLimits?: LoginLimits;
    registrationLimits?: RegistrationLimits;
    /** Default: off (accounts created at once); `email` needs `mailer`. */
    registrationVerification?: RegistrationVerification;
    /** E-mail change codes (default: 30 minutes, 5 tries, 5 requests per user per hour). */
    emailChange?: EmailChangeSettings;
  };
  prisma: PrismaClient;
  cipher: FieldCipher;
  logger: Logger;
  clock?: () => Date;
  passwords?: PasswordHasher;
  /** Failed sign-in counting (default: in memory). */
  throttle?: LoginThrottle;
  /** Registration attempts per client address (default: in memory). */
  registrationThrottle?: RegistrationThrottle;
  /** Scheduling, asked when the care-relationship projection misses (default: none, the projection alone). */
  scheduling?: CareRelationshipSource;
  /** Sends registration codes (SMTP: data/mailer.ts); required with `registrationVerification.mode` email. */
  mailer?: Mailer;
  /** The e-mail change's code and notices, sent by notifications (data/notificationsMessages.ts); absent: e-mail changes are refused. */
  emailChangeMessages?: EmailChangeMessages;
  /** The service's metrics, served at /metrics (default: the server's own registry). */
  metrics?: ServiceMetrics;
  /** Patients' data exports: limits (default DEFAULT_DATA_EXPORT_SETTINGS). */
  dataExportSettings?: DataExportSettings;
}

export interface AccountsServer extends SubgraphServer {
  /** What the use cases, resolvers and consumers work with. */
  deps: Deps;
  users: UserRepository;
  /** The care-relationship projection (fed by events/consumers/careProjection.ts). */
  careRelationships: CareRelationshipRepository;
  /** The audit log (also fed by events/consumers/auditProjection.ts). */
  audit: AuditLog;
}

export async function buildAccountsServer(options: AccountsServerDeps): Promise<AccountsServer> {
  const { prisma, cipher, logger, config } = options;
  const users = new UserRepository(prisma, cipher);
  const audit = new AuditLog(prisma);
  const careRelationships = new CareRelationshipRepository(prisma);
  const keys = await loadOrCreateSigningKeys(prisma, cipher);
  const clock = options.clock ?? (() => new Date());
  const deps: Deps = {
    users,
    refreshTokens: new RefreshTokenRepository(prisma),
    passwords: options.passwords ?? argon2idHasher,
    accessTokens: createAccessTokenIssuer(keys, config.accessTokenTtlSeconds),
    clock,
    refreshTokenTtlMs: config.refreshTokenTtlDays * 24 * 3600 * 1000,
    throttle: options.throttle ?? createMemoryLoginThrottle(options.clock),
    loginLimits: config.loginLimits ?? DEFAULT_LOGIN_LIMITS,
    registrationThrottle: options.registrationThrottle ?? createMemoryRegistrationThrottle(options.clock),
    registrationLimits: config.registrationLimits ?? DEFAULT_REGISTRATION_LIMITS,
    ...(config.registrationVerification?.mode === "email"
      ? {
          registrationVerification: config.registrationVerification,
          registrationCodes: new RegistrationCodeRepository(prisma),
          mailer: requireMailer(options.mailer),
        }
      : options.mailer
        ? { mailer: options.mailer }
        : {}),
    ...(options.emailChangeMessages ? { emailChangeMessages: options.emailChangeMessages } : {}),
    emailChanges: new EmailChangeRepository(prisma, cipher),
    emailChange: config.emailChange ?? DEFAULT_EMAIL_CHANGE,
    unitOfWork: createUnitOfWork(prisma),
    audit,
    careRelationships,
    scheduling: options.scheduling ?? noCareRelationshipSource,
    logger,
    dataExports: new DataExportRepository(prisma, cipher),
    dataExportSettings: options.dataExportSettings ?? DEFAULT_DATA_EXPORT_SETTINGS,
  };
  if (config.admin) await ensureAdmin(deps, config.admin.email, config.admin.password);

  const server = await createSubgraphServer<Context>({
    tracing: options.tracing,
    name: "accounts",
    typeDefs,
    resolvers: { ...resolvers, DateTime: DateTimeScalar, Date: DateScalar },
    routerSecrets: config.routerSecrets,
    logger,
    exposeInternalErrors: config.exposeInternalErrors,
    createContext: (base) => createContext(base, deps),
    checkReady: () => checkDatabase(prisma),
    metrics: options.metrics,
    // The staff action log: accounts writes its own staff mutations straight into its audit log. Skipped: the ones that
    // record themselves with more detail (the patient, the national id), and signing in and out.
    staffActions: {
      write: async (actions) => {
        await audit.recordStaffActions(actions);
      },
      skip: ACCOUNTS_SELF_AUDITED,
    },
    internal: {
      // The router's question before it accepts an access token: which of these sessions have ended?
      sessions: async (body) => {
        const ids = (body as { sessions?: unknown } | null)?.sessions;
        if (!Array.isArray(ids) || ids.length > 1_000 || !ids.every((id): id is string => typeof id === "string"))
          throw badInput("sessions must be a list of at most 1000 session ids");
        return { revoked: await endedSessions(deps, ids) };
      },
      // Another service (notifications) reaching users: name, e-mail, phone and role, for service identities only.
      contacts: async (body, caller) => {
        const input = typeof body === "object" && body !== null ? (body as { userIds?: unknown }) : {};
        return { contacts: await contactsForService(deps, caller, { userIds: input.userIds }) };
      },
    },
    routes: (app) => {
      app.get("/.well-known/jwks.json", (_req, res) => {
        res.set("Cache-Control", "public, max-age=300").json(keys.jwks);
      });
    },
  });
  return Object.assign(server, { deps, users, careRelationships, audit });
}

const DEFAULT_EMAIL_CHANGE: EmailChangeSettings = { codeTtlMs: 30 * 60_000, maxAttempts: 5, requestsPerHour: 5 };

function requireMailer(mailer: Mailer | undefined): Mailer {
  if (!mailer) throw new Error("accounts: e-mail verification of registrations needs a mailer (SMTP_URL)");
  return mailer;
}
