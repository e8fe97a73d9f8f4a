/**
 * Builds the accounts subgraph from its dependencies. Tests import this and listen on port 0.
 */
import { readFileSync } from "node:fs";
import { parse } from "graphql";
import { badInput, createSubgraphServer, type FieldCipher, type Logger, type SubgraphServer } from "@clinigraph/platform";
import { DEFAULT_LOGIN_LIMITS, DEFAULT_REGISTRATION_LIMITS, type AccountsConfig } from "./config.js";
import type { AccountsContext } from "./context.js";
import { createAccessTokenIssuer } from "./data/accessTokens.js";
import { createAuditBatcher, createUserLoader } from "./data/loaders.js";
import { argon2idHasher } from "./data/passwords.js";
import type { PrismaClient } from "./data/prisma.js";
import { RefreshTokenRepository } from "./data/refreshTokens.js";
import { loadOrCreateSigningKeys } from "./data/signingKeys.js";
import { UserRepository } from "./data/users.js";
import { AuditLog } from "./data/audit.js";
import type {
  AccountsDomainDeps,
  LoginLimits,
  LoginThrottle,
  Mailer,
  PasswordHasher,
  RegistrationLimits,
  RegistrationThrottle,
  RegistrationVerification,
} from "./domain/ports.js";
import { createMemoryRegistrationThrottle } from "./data/registrationThrottle.js";
import { RegistrationCodeRepository } from "./data/registrationCodes.js";
import { createMemoryLoginThrottle } from "./data/loginThrottle.js";
import { CareRelationshipRepository, createCareRelationshipLoader } from "./data/careRelationships.js";
import { noCareRelationshipSource } from "./data/schedulingClient.js";
import type { CareRelationshipDeps, CareRelationshipSource } from "./domain/careRelationships.js";
import { ensureAdmin } from "./domain/users.js";
import { endedSessions } from "./domain/sessions.js";
import { resolvers } from "./resolvers/index.js";

export const typeDefs = parse(readFileSync(new URL("./schema.graphql", import.meta.url), "utf8"));

export interface AccountsServerDeps {
  config: Pick<AccountsConfig, "routerSecrets" | "accessTokenTtlSeconds" | "refreshTokenTtlDays" | "admin" | "exposeInternalErrors"> & {
    loginLimits?: LoginLimits;
    registrationLimits?: RegistrationLimits;
    /** Default: off (accounts created at once); `email` needs `mailer`. */
    registrationVerification?: RegistrationVerification;
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
}

export interface AccountsServer extends SubgraphServer {
  domain: AccountsDomainDeps;
  users: UserRepository;
  /** The care-relationship projection (fed by events/careProjection.ts). */
  careRelationships: CareRelationshipRepository;
  /** The audit log (also fed by events/auditProjection.ts). */
  audit: AuditLog;
}

export async function buildAccountsServer(deps: AccountsServerDeps): Promise<AccountsServer> {
  const { prisma, cipher, logger, config } = deps;
  const users = new UserRepository(prisma, cipher);
  const audit = new AuditLog(prisma);
  const careRelationships = new CareRelationshipRepository(prisma);
  const keys = await loadOrCreateSigningKeys(prisma, cipher);
  const domain: AccountsDomainDeps = {
    users,
    refreshTokens: new RefreshTokenRepository(prisma),
    passwords: deps.passwords ?? argon2idHasher,
    accessTokens: createAccessTokenIssuer(keys, config.accessTokenTtlSeconds),
    clock: deps.clock ?? (() => new Date()),
    refreshTokenTtlMs: config.refreshTokenTtlDays * 24 * 3600 * 1000,
    throttle: deps.throttle ?? createMemoryLoginThrottle(deps.clock),
    loginLimits: config.loginLimits ?? DEFAULT_LOGIN_LIMITS,
    registrationThrottle: deps.registrationThrottle ?? createMemoryRegistrationThrottle(deps.clock),
    registrationLimits: config.registrationLimits ?? DEFAULT_REGISTRATION_LIMITS,
    ...(config.registrationVerification?.mode === "email"
      ? {
          registrationVerification: config.registrationVerification,
          registrationCodes: new RegistrationCodeRepository(prisma),
          mailer: requireMailer(deps.mailer),
        }
      : {}),
  };
  if (config.admin) await ensureAdmin(domain, config.admin.email, config.admin.password);
  const care: CareRelationshipDeps = {
    store: careRelationships,
    scheduling: deps.scheduling ?? noCareRelationshipSource,
    logger,
    clock: domain.clock,
  };

  const server = await createSubgraphServer<AccountsContext>({
    name: "accounts",
    typeDefs,
    resolvers,
    routerSecrets: config.routerSecrets,
    logger,
    exposeInternalErrors: config.exposeInternalErrors,
    createContext: (base) => ({
      ...base,
      deps: domain,
      users,
      audit,
      userLoader: createUserLoader(users),
      careRelationships: createCareRelationshipLoader(care, base.identity),
      patientRecordReads: createAuditBatcher(audit, base.identity, "PATIENT_RECORD_READ"),
      nationalIdReads: createAuditBatcher(audit, base.identity, "NATIONAL_ID_READ"),
    }),
    checkReady: async () => {
      await prisma.$queryRaw`SELECT 1`;
    },
    internal: {
      // The router's question before it accepts an access token: which of these sessions have ended?
      sessions: async (body) => {
        const ids = (body as { sessions?: unknown } | null)?.sessions;
        if (!Array.isArray(ids) || ids.length > 1_000 || !ids.every((id): id is string => typeof id === "string"))
          throw badInput("sessions must be a list of at most 1000 session ids");
        return { revoked: await endedSessions(domain, ids) };
      },
    },
    routes: (app) => {
      app.get("/.well-known/jwks.json", (_req, res) => {
        res.set("Cache-Control", "public, max-age=300").json(keys.jwks);
      });
    },
  });
  return Object.assign(server, { domain, users, careRelationships, audit });
}

function requireMailer(mailer: Mailer | undefined): Mailer {
  if (!mailer) throw new Error("accounts: e-mail verification of registrations needs a mailer (SMTP_URL)");
  return mailer;
}
