/** Every variable the accounts process reads, validated once at boot (a bad value stops it, naming the variable). */
import {
  configCheck,
  optionalServiceUrl,
  readCipherKeys,
  readEnv,
  readSubgraphBase,
  v,
  type CipherKeys,
  type Env,
  type SubgraphBaseConfig,
} from "@clinigraph/platform";
import type { LoginLimits, RegistrationLimits, RegistrationVerification } from "./domain/ports.js";
import { DEFAULT_DATA_EXPORT_SETTINGS, type DataExportSettings } from "./domain/dataExport.js";

/**
 * Per 15 minutes: 5 sign-in attempts verified per account; past 20 failures from one client address it may
 * only try accounts without failures of their own, past 200 none (see `LoginLimits`).
 */
export const DEFAULT_LOGIN_LIMITS: LoginLimits = { perAccount: 5, perIp: 20, perIpHard: 200, windowMs: 15 * 60_000 };
/** 10 registration attempts (successful or not) per client address per hour; staff are not counted. */
export const DEFAULT_REGISTRATION_LIMITS: RegistrationLimits = { perIp: 10, windowMs: 3_600_000 };

export interface AccountsConfig extends SubgraphBaseConfig {
  /** CLINIGRAPH_DATA_KEYS, CLINIGRAPH_DATA_KEY_ACTIVE, CLINIGRAPH_BLIND_INDEX_KEY: seal contact data, index e-mails. */
  cipherKeys: CipherKeys;
  /** Access token lifetime; at most 15 minutes. */
  accessTokenTtlSeconds: number;
  refreshTokenTtlDays: number;
  /** First ADMIN, created at start when both are set and the e-mail is not taken. */
  admin: { email: string; password: string } | null;
  loginLimits: LoginLimits;
  /** REGISTRATION_MAX_PER_IP_PER_HOUR (default 10, 0 = off). */
  registrationLimits: RegistrationLimits;
  /** REGISTRATION_VERIFICATION (email, the default, or off) and its mail settings (SMTP_URL, MAIL_FROM): registration codes only. */
  registrationVerification: RegistrationVerification;
  smtp: { url: string; from: string } | null;
  /** Scheduling's GraphQL endpoint, asked about care relationships the projection has not seen yet; null (SCHEDULING_URL="") disables. */
  schedulingUrl: string | null;
  /** Clinical's GraphQL endpoint, asked the same about encounters (walk-ins have no appointment); null (CLINICAL_URL="") disables. */
  clinicalUrl: string | null;
  /** How long a care-relationship question to scheduling may take before the read is refused. */
  careCheckTimeoutMs: number;
  /** Notifications' GraphQL endpoint (NOTIFICATIONS_URL): it sends the e-mail change's messages; null ("") refuses e-mail changes. */
  notificationsUrl: string | null;
  /** NOTIFICATIONS_TIMEOUT_MS (default 10 000): how long sending one of those messages may take. */
  notificationsTimeoutMs: number;
  /** Patients' data exports: limits, the worker's timing and where the subgraphs it reads are (dataExportConfig). */
  dataExport: DataExportConfig;
}

export interface DataExportConfig {
  settings: DataExportSettings;
  /** How often the worker looks for PENDING exports, and drops expired documents. */
  pollMs: number;
  purgeMs: number;
  /** Per call to another subgraph while assembling. */
  callTimeoutMs: number;
  /** Billing's and notifications' GraphQL endpoints (scheduling's and clinical's are the ones above); null: that part is left out. */
  billingUrl: string | null;
  notificationsUrl: string | null;
  /** Doctors' GraphQL endpoint: the names of the doctors and services the other parts refer to; null: left out. */
  doctorsUrl: string | null;
}

export function loadAccountsConfig(env: Env): AccountsConfig {
  const base = readSubgraphBase("accounts", env);
  const vars = readEnv(
    {
      ACCESS_TOKEN_TTL_SECONDS: v.int(600, { min: 30, max: 900 }),
      REFRESH_TOKEN_TTL_DAYS: v.int(30),
      CLINIGRAPH_ADMIN_EMAIL: v.optional(),
      CLINIGRAPH_ADMIN_PASSWORD: v.optional(),
      CARE_CHECK_TIMEOUT_MS: v.int(2_000),
      NOTIFICATIONS_TIMEOUT_MS: v.int(10_000, { min: 100, max: 60_000 }),
    },
    env,
  );
  const { CLINIGRAPH_ADMIN_EMAIL: adminEmail, CLINIGRAPH_ADMIN_PASSWORD: adminPassword } = vars;
  configCheck(Boolean(adminEmail) === Boolean(adminPassword), "Set both CLINIGRAPH_ADMIN_EMAIL and CLINIGRAPH_ADMIN_PASSWORD, or neither");
  return {
    ...base,
    cipherKeys: readCipherKeys(env),
    accessTokenTtlSeconds: vars.ACCESS_TOKEN_TTL_SECONDS,
    refreshTokenTtlDays: vars.REFRESH_TOKEN_TTL_DAYS,
    admin: adminEmail && adminPassword ? { email: adminEmail, password: adminPassword } : null,
    loginLimits: loginLimits(env),
    registrationLimits: registrationLimits(env),
    ...registrationVerification(env),
    schedulingUrl: optionalServiceUrl("scheduling", env),
    clinicalUrl: optionalServiceUrl("clinical", env),
    careCheckTimeoutMs: vars.CARE_CHECK_TIMEOUT_MS,
    notificationsUrl: optionalServiceUrl("notifications", env),
    notificationsTimeoutMs: vars.NOTIFICATIONS_TIMEOUT_MS,
    dataExport: dataExportConfig(env),
  };
}

/**
 * DATA_EXPORT_MAX_PER_DAY (5 requests per patient per 24 hours), DATA_EXPORT_TTL_DAYS (7: then the document is dropped),
 * DATA_EXPORT_MAX_ATTEMPTS (3, then FAILED), DATA_EXPORT_STALE_CLAIM_MINUTES (10: a claim older than that is taken
 * again), DATA_EXPORT_RETRY_SECONDS (30, times the attempts so far), DATA_EXPORT_POLL_MS (5000),
 * DATA_EXPORT_CALL_TIMEOUT_MS (10000); BILLING_URL, NOTIFICATIONS_URL and DOCTORS_URL ("" leaves that part out).
 */
function dataExportConfig(env: Env): DataExportConfig {
  const d = DEFAULT_DATA_EXPORT_SETTINGS;
  const vars = readEnv(
    {
      DATA_EXPORT_MAX_PER_DAY: v.int(d.maxPerDay, { min: 1, max: 1_000 }),
      DATA_EXPORT_TTL_DAYS: v.int(d.ttlMs / 86_400_000, { min: 1, max: 90 }),
      DATA_EXPORT_MAX_ATTEMPTS: v.int(d.maxAttempts, { min: 1, max: 20 }),
      DATA_EXPORT_STALE_CLAIM_MINUTES: v.int(d.staleClaimMs / 60_000, { min: 1, max: 1_440 }),
      DATA_EXPORT_RETRY_SECONDS: v.int(d.retryBackoffMs / 1_000, { min: 0, max: 3_600 }),
      DATA_EXPORT_POLL_MS: v.int(5_000, { min: 50, max: 600_000 }),
      DATA_EXPORT_CALL_TIMEOUT_MS: v.int(10_000, { min: 100, max: 120_000 }),
    },
    env,
  );
  return {
    settings: {
      maxPerDay: vars.DATA_EXPORT_MAX_PER_DAY,
      ttlMs: vars.DATA_EXPORT_TTL_DAYS * 86_400_000,
      maxAttempts: vars.DATA_EXPORT_MAX_ATTEMPTS,
      staleClaimMs: vars.DATA_EXPORT_STALE_CLAIM_MINUTES * 60_000,
      retryBackoffMs: vars.DATA_EXPORT_RETRY_SECONDS * 1_000,
    },
    pollMs: vars.DATA_EXPORT_POLL_MS,
    purgeMs: 3_600_000,
    callTimeoutMs: vars.DATA_EXPORT_CALL_TIMEOUT_MS,
    billingUrl: optionalServiceUrl("billing", env),
    notificationsUrl: optionalServiceUrl("notifications", env),
    doctorsUrl: optionalServiceUrl("doctors", env),
  };
}

/** LOGIN_MAX_FAILURES, LOGIN_MAX_FAILURES_PER_IP, LOGIN_MAX_FAILURES_PER_IP_HARD (not below the soft limit), LOGIN_WINDOW_MINUTES: all positive. */
function loginLimits(env: Env): LoginLimits {
  const positive = (fallback: number) => v.int(fallback, { min: 1 });
  const { LOGIN_MAX_FAILURES, LOGIN_MAX_FAILURES_PER_IP, LOGIN_WINDOW_MINUTES } = readEnv(
    {
      LOGIN_MAX_FAILURES: positive(DEFAULT_LOGIN_LIMITS.perAccount),
      LOGIN_MAX_FAILURES_PER_IP: positive(DEFAULT_LOGIN_LIMITS.perIp),
      LOGIN_WINDOW_MINUTES: positive(DEFAULT_LOGIN_LIMITS.windowMs / 60_000),
    },
    env,
  );
  const { LOGIN_MAX_FAILURES_PER_IP_HARD } = readEnv(
    { LOGIN_MAX_FAILURES_PER_IP_HARD: positive(Math.max(DEFAULT_LOGIN_LIMITS.perIpHard, LOGIN_MAX_FAILURES_PER_IP)) },
    env,
  );
  configCheck(LOGIN_MAX_FAILURES_PER_IP_HARD >= LOGIN_MAX_FAILURES_PER_IP, "LOGIN_MAX_FAILURES_PER_IP_HARD must not be below LOGIN_MAX_FAILURES_PER_IP");
  return {
    perAccount: LOGIN_MAX_FAILURES,
    perIp: LOGIN_MAX_FAILURES_PER_IP,
    perIpHard: LOGIN_MAX_FAILURES_PER_IP_HARD,
    windowMs: LOGIN_WINDOW_MINUTES * 60_000,
  };
}

/** REGISTRATION_MAX_PER_IP_PER_HOUR: registration attempts per client address per hour (default 10, 0 = off). */
function registrationLimits(env: Env): RegistrationLimits {
  const { REGISTRATION_MAX_PER_IP_PER_HOUR } = readEnv({ REGISTRATION_MAX_PER_IP_PER_HOUR: v.int(DEFAULT_REGISTRATION_LIMITS.perIp, { min: 0 }) }, env);
  return { perIp: REGISTRATION_MAX_PER_IP_PER_HOUR, windowMs: DEFAULT_REGISTRATION_LIMITS.windowMs };
}

/**
 * REGISTRATION_VERIFICATION: `email` (default) sends a code that self-registration needs, over SMTP_URL (required
 * then; e.g. smtp://mail.example:587) from MAIL_FROM; `off` creates accounts at once (a taken e-mail: CONFLICT), and
 * SMTP_URL is optional then. E-mail changes do not use it: notifications sends their messages (NOTIFICATIONS_URL).
 * REGISTRATION_CODE_TTL_MINUTES (30, 5 to 1440) and REGISTRATION_CODE_ATTEMPTS (5, 1 to 10).
 */
function registrationVerification(env: Env): Pick<AccountsConfig, "registrationVerification" | "smtp"> {
  const vars = readEnv(
    {
      REGISTRATION_VERIFICATION: v.oneOf(["email", "off"], "email"),
      REGISTRATION_CODE_TTL_MINUTES: v.int(30, { min: 5, max: 1440 }),
      REGISTRATION_CODE_ATTEMPTS: v.int(5, { min: 1, max: 10 }),
    },
    env,
  );
  const mode = vars.REGISTRATION_VERIFICATION;
  const verification: RegistrationVerification = {
    mode,
    codeTtlMs: vars.REGISTRATION_CODE_TTL_MINUTES * 60_000,
    maxAttempts: vars.REGISTRATION_CODE_ATTEMPTS,
    mailsPerAddressPerHour: 3,
  };
  const mail = readEnv({ SMTP_URL: v.optionalUrl(["smtp:", "smtps:"]), MAIL_FROM: v.string("Clinigraph <no-reply@clinigraph.local>") }, env);
  // Without registration codes, SMTP_URL is optional (e-mail change messages go through notifications).
  if (mode === "off") return { registrationVerification: verification, smtp: mail.SMTP_URL ? { url: mail.SMTP_URL, from: mail.MAIL_FROM } : null };
  configCheck(mail.SMTP_URL !== undefined, "SMTP_URL is required with REGISTRATION_VERIFICATION=email (the default): registration codes go by e-mail");
  return { registrationVerification: verification, smtp: { url: mail.SMTP_URL!, from: mail.MAIL_FROM } };
}
