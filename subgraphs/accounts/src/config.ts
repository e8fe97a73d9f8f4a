import { ConfigError, DEFAULT_PORTS, envInt, envList, envOptional, envString, isDevelopment } from "@clinigraph/platform";
import type { LoginLimits, RegistrationLimits, RegistrationVerification } from "./domain/ports.js";

/**
 * Per 15 minutes: 5 sign-in attempts verified per account; past 20 failures from one client address it may
 * only try accounts without failures of their own, past 200 none (see `LoginLimits`).
 */
export const DEFAULT_LOGIN_LIMITS: LoginLimits = { perAccount: 5, perIp: 20, perIpHard: 200, windowMs: 15 * 60_000 };
/** 10 registration attempts (successful or not) per client address per hour; staff are not counted. */
export const DEFAULT_REGISTRATION_LIMITS: RegistrationLimits = { perIp: 10, windowMs: 3_600_000 };

export interface AccountsConfig {
  databaseUrl: string;
  host: string;
  port: number;
  routerSecrets: string[];
  /** Access token lifetime; at most 15 minutes. */
  accessTokenTtlSeconds: number;
  refreshTokenTtlDays: number;
  /** First ADMIN, created at start when both are set and the e-mail is not taken. */
  admin: { email: string; password: string } | null;
  exposeInternalErrors: boolean;
  loginLimits: LoginLimits;
  /** REGISTRATION_MAX_PER_IP_PER_HOUR (default 10, 0 = off). */
  registrationLimits: RegistrationLimits;
  /** REGISTRATION_VERIFICATION (email, the default, or off) and its mail settings (SMTP_URL, MAIL_FROM). */
  registrationVerification: RegistrationVerification;
  smtp: { url: string; from: string } | null;
  redisUrl: string | undefined;
  redisNamespace: string;
  /** Scheduling's GraphQL endpoint, asked about care relationships the projection has not seen yet; null (SCHEDULING_URL="") disables. */
  schedulingUrl: string | null;
  /** Clinical's GraphQL endpoint, asked the same about encounters (walk-ins have no appointment); null (CLINICAL_URL="") disables. */
  clinicalUrl: string | null;
  /** How long a care-relationship question to scheduling may take before the read is refused. */
  careCheckTimeoutMs: number;
}

export function loadAccountsConfig(env: Record<string, string | undefined> = process.env): AccountsConfig {
  const accessTokenTtlSeconds = envInt("ACCESS_TOKEN_TTL_SECONDS", 600, env);
  if (accessTokenTtlSeconds < 30 || accessTokenTtlSeconds > 900) throw new ConfigError("ACCESS_TOKEN_TTL_SECONDS must be between 30 and 900");
  const adminEmail = envOptional("CLINIGRAPH_ADMIN_EMAIL", env);
  const adminPassword = envOptional("CLINIGRAPH_ADMIN_PASSWORD", env);
  if (Boolean(adminEmail) !== Boolean(adminPassword)) throw new ConfigError("Set both CLINIGRAPH_ADMIN_EMAIL and CLINIGRAPH_ADMIN_PASSWORD, or neither");
  return {
    databaseUrl: envString("DATABASE_URL", undefined, env),
    host: envString("HOST", "127.0.0.1", env),
    port: envInt("ACCOUNTS_PORT", DEFAULT_PORTS.accounts, env),
    routerSecrets: envList("CLINIGRAPH_ROUTER_SECRETS", undefined, env),
    accessTokenTtlSeconds,
    refreshTokenTtlDays: envInt("REFRESH_TOKEN_TTL_DAYS", 30, env),
    admin: adminEmail && adminPassword ? { email: adminEmail, password: adminPassword } : null,
    exposeInternalErrors: isDevelopment(env),
    loginLimits: loginLimits(env),
    registrationLimits: registrationLimits(env),
    ...registrationVerification(env),
    redisUrl: envOptional("REDIS_URL", env),
    redisNamespace: env.EVENTS_NAMESPACE ?? "",
    schedulingUrl: env.SCHEDULING_URL === "" ? null : envString("SCHEDULING_URL", `http://127.0.0.1:${DEFAULT_PORTS.scheduling}/graphql`, env),
    clinicalUrl: env.CLINICAL_URL === "" ? null : envString("CLINICAL_URL", `http://127.0.0.1:${DEFAULT_PORTS.clinical}/graphql`, env),
    careCheckTimeoutMs: envInt("CARE_CHECK_TIMEOUT_MS", 2_000, env),
  };
}

function loginLimits(env: Record<string, string | undefined>): LoginLimits {
  const positive = (name: string, fallback: number) => {
    const value = envInt(name, fallback, env);
    if (value < 1) throw new ConfigError(`${name} must be a positive integer, got ${value}`);
    return value;
  };
  const perIp = positive("LOGIN_MAX_FAILURES_PER_IP", DEFAULT_LOGIN_LIMITS.perIp);
  const perIpHard = positive("LOGIN_MAX_FAILURES_PER_IP_HARD", Math.max(DEFAULT_LOGIN_LIMITS.perIpHard, perIp));
  if (perIpHard < perIp) throw new ConfigError("LOGIN_MAX_FAILURES_PER_IP_HARD must not be below LOGIN_MAX_FAILURES_PER_IP");
  return {
    perAccount: positive("LOGIN_MAX_FAILURES", DEFAULT_LOGIN_LIMITS.perAccount),
    perIp,
    perIpHard,
    windowMs: positive("LOGIN_WINDOW_MINUTES", DEFAULT_LOGIN_LIMITS.windowMs / 60_000) * 60_000,
  };
}

/** REGISTRATION_MAX_PER_IP_PER_HOUR: registration attempts per client address per hour (default 10, 0 = off). */
function registrationLimits(env: Record<string, string | undefined>): RegistrationLimits {
  const perIp = envInt("REGISTRATION_MAX_PER_IP_PER_HOUR", DEFAULT_REGISTRATION_LIMITS.perIp, env);
  if (perIp < 0) throw new ConfigError(`REGISTRATION_MAX_PER_IP_PER_HOUR must be 0 (off) or more, got ${perIp}`);
  return { perIp, windowMs: DEFAULT_REGISTRATION_LIMITS.windowMs };
}

/**
 * REGISTRATION_VERIFICATION: `email` (default) sends a code that self-registration needs, over SMTP_URL (required
 * then; e.g. smtp://mail.example:587) from MAIL_FROM; `off` creates accounts at once (a taken e-mail: CONFLICT).
 * REGISTRATION_CODE_TTL_MINUTES (30) and REGISTRATION_CODE_ATTEMPTS (5).
 */
function registrationVerification(env: Record<string, string | undefined>): Pick<AccountsConfig, "registrationVerification" | "smtp"> {
  const mode = envString("REGISTRATION_VERIFICATION", "email", env);
  if (mode !== "email" && mode !== "off") throw new ConfigError(`REGISTRATION_VERIFICATION must be email or off, got "${mode}"`);
  const ttlMinutes = envInt("REGISTRATION_CODE_TTL_MINUTES", 30, env);
  if (ttlMinutes < 5 || ttlMinutes > 1440) throw new ConfigError("REGISTRATION_CODE_TTL_MINUTES must be between 5 and 1440");
  const attempts = envInt("REGISTRATION_CODE_ATTEMPTS", 5, env);
  if (attempts < 1 || attempts > 10) throw new ConfigError("REGISTRATION_CODE_ATTEMPTS must be between 1 and 10");
  const verification: RegistrationVerification = { mode, codeTtlMs: ttlMinutes * 60_000, maxAttempts: attempts, mailsPerAddressPerHour: 3 };
  if (mode === "off") return { registrationVerification: verification, smtp: null };
  const url = envOptional("SMTP_URL", env);
  if (!url) throw new ConfigError("SMTP_URL is required with REGISTRATION_VERIFICATION=email (the default): registration codes go by e-mail");
  if (!/^smtps?:\/\//.test(url)) throw new ConfigError("SMTP_URL must be an smtp:// or smtps:// URL");
  return { registrationVerification: verification, smtp: { url, from: envString("MAIL_FROM", "Clinigraph <no-reply@clinigraph.local>", env) } };
}
