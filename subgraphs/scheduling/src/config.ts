import { ConfigError, DEFAULT_PORTS, envInt, envList, envString, isDevelopment } from "@clinigraph/platform";
import type { SchedulingRules } from "./domain/types.js";

type Env = Record<string, string | undefined>;

export interface SchedulingConfig {
  databaseUrl: string;
  host: string;
  port: number;
  routerSecrets: string[];
  doctorsUrl: string;
  /** The accounts subgraph: is the patient staff name a patient? */
  accountsUrl: string;
  rules: SchedulingRules;
  holdSweepMs: number;
  reconcileMs: number;
  exposeInternalErrors: boolean;
}

function bounded(name: string, fallback: number, min: number, max: number, env: Env) {
  const value = envInt(name, fallback, env);
  if (value < min || value > max) throw new ConfigError(`${name} must be between ${min} and ${max}, got ${value}`);
  return value;
}

export function loadSchedulingConfig(env: Env = process.env): SchedulingConfig {
  return {
    databaseUrl: envString("DATABASE_URL", undefined, env),
    host: envString("SCHEDULING_HOST", envString("HOST", "127.0.0.1", env), env),
    port: envInt("SCHEDULING_PORT", DEFAULT_PORTS.scheduling, env),
    routerSecrets: envList("CLINIGRAPH_ROUTER_SECRETS", undefined, env),
    doctorsUrl: envString("DOCTORS_URL", `http://127.0.0.1:${DEFAULT_PORTS.doctors}/graphql`, env),
    accountsUrl: envString("ACCOUNTS_URL", `http://127.0.0.1:${DEFAULT_PORTS.accounts}/graphql`, env),
    rules: {
      holdMinutes: bounded("BOOKING_HOLD_MINUTES", 15, 1, 24 * 60, env),
      minNoticeMinutes: bounded("BOOKING_MIN_NOTICE_MINUTES", 60, 0, 14 * 24 * 60, env),
      maxPerPatientDoctorDay: bounded("BOOKING_MAX_PER_PATIENT_DOCTOR_DAY", 1, 1, 20, env),
      horizonDays: bounded("SLOT_HORIZON_DAYS", 56, 1, 366, env),
      alternativesLimit: bounded("BOOKING_ALTERNATIVES", 5, 0, 50, env),
    },
    holdSweepMs: bounded("HOLD_SWEEP_MS", 30_000, 1_000, 3_600_000, env),
    reconcileMs: bounded("SLOT_RECONCILE_MS", 600_000, 10_000, 86_400_000, env),
    exposeInternalErrors: isDevelopment(env),
  };
}
