/** loadSchedulingConfig: the defaults, every variable it reads, and bad values refused with the variable's name. */
import { describe, expect, it } from "@jest/globals";
import { ConfigError } from "@clinigraph/platform";
import { TEST_DATA_KEYS } from "@clinigraph/testing";
import { loadSchedulingConfig } from "../src/config.js";

const valid = {
  DATABASE_URL: "postgresql://postgres@127.0.0.1:5432/clinigraph",
  CLINIGRAPH_ROUTER_SECRETS: "a-secret,an-older-one",
  CLINIGRAPH_DATA_KEYS: TEST_DATA_KEYS,
};

const failure = (env: Record<string, string>) => {
  try {
    loadSchedulingConfig({ ...valid, ...env });
  } catch (err) {
    return err instanceof ConfigError ? err.message : `not a ConfigError: ${String(err)}`;
  }
  return "no error";
};

describe("loadSchedulingConfig", () => {
  it("reads the defaults", () => {
    const config = loadSchedulingConfig(valid);
    expect(config).toMatchObject({
      databaseUrl: valid.DATABASE_URL,
      routerSecrets: ["a-secret", "an-older-one"],
      host: "127.0.0.1",
      port: 4003,
      doctorsUrl: "http://127.0.0.1:4002/graphql",
      accountsUrl: "http://127.0.0.1:4001/graphql",
      rules: { holdMinutes: 15, minNoticeMinutes: 60, maxPerPatientDoctorDay: 1, horizonDays: 56, alternativesLimit: 5 },
      holdSweepMs: 30_000,
      reconcileMs: 600_000,
      exposeInternalErrors: false,
      redisUrl: undefined,
      namespace: "",
    });
    expect(config.cipherKeys.blindIndexKey).toBeUndefined();
  });

  it("reads every variable it uses", () => {
    const config = loadSchedulingConfig({
      ...valid,
      SCHEDULING_PORT: "0",
      HOST: "0.0.0.0",
      SCHEDULING_HOST: "10.0.0.3",
      DOCTORS_URL: "https://doctors.example.test/graphql",
      ACCOUNTS_URL: "https://accounts.example.test/graphql",
      REDIS_URL: "redis://127.0.0.1:6379",
      EVENTS_NAMESPACE: "run-1:",
      LOG_LEVEL: "debug",
      NODE_ENV: "development",
      BOOKING_HOLD_MINUTES: "30",
      BOOKING_MIN_NOTICE_MINUTES: "0",
      BOOKING_MAX_PER_PATIENT_DOCTOR_DAY: "3",
      SLOT_HORIZON_DAYS: "14",
      BOOKING_ALTERNATIVES: "0",
      HOLD_SWEEP_MS: "1000",
      SLOT_RECONCILE_MS: "10000",
    });
    expect(config).toMatchObject({
      port: 0,
      host: "10.0.0.3",
      doctorsUrl: "https://doctors.example.test/graphql",
      accountsUrl: "https://accounts.example.test/graphql",
      redisUrl: "redis://127.0.0.1:6379",
      namespace: "run-1:",
      logLevel: "debug",
      exposeInternalErrors: true,
      rules: { holdMinutes: 30, minNoticeMinutes: 0, maxPerPatientDoctorDay: 3, horizonDays: 14, alternativesLimit: 0 },
      holdSweepMs: 1000,
      reconcileMs: 10_000,
    });
  });

  it("finds its own port and its neighbours from CLINIGRAPH_PORT_BASE", () => {
    expect(loadSchedulingConfig({ ...valid, CLINIGRAPH_PORT_BASE: "5000" })).toMatchObject({
      port: 5003,
      doctorsUrl: "http://127.0.0.1:5002/graphql",
      accountsUrl: "http://127.0.0.1:5001/graphql",
    });
  });

  it.each([
    [{ BOOKING_HOLD_MINUTES: "0" }, "BOOKING_HOLD_MINUTES"],
    [{ BOOKING_HOLD_MINUTES: "1441" }, "BOOKING_HOLD_MINUTES"],
    [{ BOOKING_MAX_PER_PATIENT_DOCTOR_DAY: "abc" }, "BOOKING_MAX_PER_PATIENT_DOCTOR_DAY"],
    [{ BOOKING_MIN_NOTICE_MINUTES: "-1" }, "BOOKING_MIN_NOTICE_MINUTES"],
    [{ SLOT_HORIZON_DAYS: "367" }, "SLOT_HORIZON_DAYS"],
    [{ BOOKING_ALTERNATIVES: "2.5" }, "BOOKING_ALTERNATIVES"],
    [{ HOLD_SWEEP_MS: "999" }, "HOLD_SWEEP_MS"],
    [{ SLOT_RECONCILE_MS: "9999" }, "SLOT_RECONCILE_MS"],
    [{ DOCTORS_URL: "ftp://x" }, "DOCTORS_URL"],
    [{ ACCOUNTS_URL: "not a url" }, "ACCOUNTS_URL"],
    [{ SCHEDULING_PORT: "70000" }, "SCHEDULING_PORT"],
    [{ REDIS_URL: "http://127.0.0.1:6379" }, "REDIS_URL"],
    [{ LOG_LEVEL: "loud" }, "LOG_LEVEL"],
    [{ DATABASE_URL: "" }, "DATABASE_URL"],
    [{ CLINIGRAPH_DATA_KEYS: "" }, "CLINIGRAPH_DATA_KEYS"],
  ])("refuses %j, naming %s", (env, name) => {
    expect(failure(env)).toMatch(new RegExp(`^${name}\\b`));
  });
});
