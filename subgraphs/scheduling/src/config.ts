/** Every variable the scheduling process reads, validated at boot (a bad value names the variable). */
import { readCipherKeys, readEnv, readSubgraphBase, serviceUrl, v, type CipherKeys, type Env, type SubgraphBaseConfig } from "@clinigraph/platform";
import type { SchedulingRules } from "./domain/types.js";

export interface SchedulingConfig extends SubgraphBaseConfig {
  doctorsUrl: string;
  /** The accounts subgraph: is the patient staff name a patient? */
  accountsUrl: string;
  /** The data keys sealing free text at rest (no blind index: scheduling never looks free text up). */
  cipherKeys: CipherKeys;
  rules: SchedulingRules;
  holdSweepMs: number;
  reconcileMs: number;
}

export function loadSchedulingConfig(env: Env): SchedulingConfig {
  const vars = readEnv(
    {
      BOOKING_HOLD_MINUTES: v.int(15, { min: 1, max: 24 * 60 }),
      BOOKING_MIN_NOTICE_MINUTES: v.int(60, { min: 0, max: 14 * 24 * 60 }),
      BOOKING_MAX_PER_PATIENT_DOCTOR_DAY: v.int(1, { min: 1, max: 20 }),
      SLOT_HORIZON_DAYS: v.int(56, { min: 1, max: 366 }),
      BOOKING_ALTERNATIVES: v.int(5, { min: 0, max: 50 }),
      HOLD_SWEEP_MS: v.int(30_000, { min: 1_000, max: 3_600_000 }),
      SLOT_RECONCILE_MS: v.int(600_000, { min: 10_000, max: 86_400_000 }),
    },
    env,
  );
  return {
    ...readSubgraphBase("scheduling", env),
    doctorsUrl: serviceUrl("doctors", env),
    accountsUrl: serviceUrl("accounts", env),
    cipherKeys: readCipherKeys(env, { blindIndex: false }),
    rules: {
      holdMinutes: vars.BOOKING_HOLD_MINUTES,
      minNoticeMinutes: vars.BOOKING_MIN_NOTICE_MINUTES,
      maxPerPatientDoctorDay: vars.BOOKING_MAX_PER_PATIENT_DOCTOR_DAY,
      horizonDays: vars.SLOT_HORIZON_DAYS,
      alternativesLimit: vars.BOOKING_ALTERNATIVES,
    },
    holdSweepMs: vars.HOLD_SWEEP_MS,
    reconcileMs: vars.SLOT_RECONCILE_MS,
  };
}
