/** loadAccountsConfig: defaults, and bad values refused at boot with a ConfigError naming the variable. */
import { describe, expect, it } from "@jest/globals";
import { ConfigError, type Env } from "@clinigraph/platform";
import { testEnv } from "@clinigraph/testing";
import { loadAccountsConfig } from "../src/config.js";

const base: Env = { ...testEnv("postgresql://x/y"), SMTP_URL: "smtp://mail.example:587" };

/** The ConfigError loading `env` throws (fails the test when it loads). */
function refusal(env: Env): ConfigError {
  try {
    loadAccountsConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error("the configuration was accepted");
}

describe("loadAccountsConfig", () => {
  it("has the documented defaults", () => {
    const config = loadAccountsConfig(base);
    expect(config).toMatchObject({
      port: 4001,
      host: "127.0.0.1",
      accessTokenTtlSeconds: 600,
      refreshTokenTtlDays: 30,
      admin: null,
      loginLimits: { perAccount: 5, perIp: 20, perIpHard: 200, windowMs: 15 * 60_000 },
      redisUrl: undefined,
      namespace: "",
      schedulingUrl: "http://127.0.0.1:4003/graphql",
      clinicalUrl: "http://127.0.0.1:4004/graphql",
      careCheckTimeoutMs: 2_000,
    });
    expect(loadAccountsConfig({ ...base, SCHEDULING_URL: "", CLINICAL_URL: "" })).toMatchObject({ schedulingUrl: null, clinicalUrl: null });
  });

  it.each([
    ["LOGIN_MAX_FAILURES", "0"],
    ["LOGIN_MAX_FAILURES_PER_IP", "-1"],
    ["LOGIN_WINDOW_MINUTES", "x"],
    ["ACCESS_TOKEN_TTL_SECONDS", "5"],
    ["ACCESS_TOKEN_TTL_SECONDS", "901"],
    ["SMTP_URL", "http://x"],
    ["REGISTRATION_VERIFICATION", "maybe"],
    ["REGISTRATION_CODE_TTL_MINUTES", "1"],
    ["REGISTRATION_CODE_ATTEMPTS", "0"],
    ["REGISTRATION_MAX_PER_IP_PER_HOUR", "-1"],
    ["SCHEDULING_URL", "not a url"],
    ["REDIS_URL", "http://redis"],
  ])("refuses %s=%s", (name, value) => {
    expect(refusal({ ...base, [name]: value }).message).toMatch(new RegExp(`^${name}\\b`));
  });

  it("refuses a hard per-address limit below the soft one, and an admin e-mail without a password", () => {
    expect(refusal({ ...base, LOGIN_MAX_FAILURES_PER_IP: "50", LOGIN_MAX_FAILURES_PER_IP_HARD: "10" }).message).toMatch(/LOGIN_MAX_FAILURES_PER_IP_HARD/);
    expect(loadAccountsConfig({ ...base, LOGIN_MAX_FAILURES_PER_IP: "300" }).loginLimits.perIpHard).toBe(300);
    expect(refusal({ ...base, CLINIGRAPH_ADMIN_EMAIL: "admin@example.test" }).message).toMatch(/CLINIGRAPH_ADMIN_PASSWORD/);
  });

  it("REGISTRATION_MAX_PER_IP_PER_HOUR: default 10, 0 turns it off, negative is a configuration error", () => {
    expect(loadAccountsConfig(base).registrationLimits).toEqual({ perIp: 10, windowMs: 3_600_000 });
    expect(loadAccountsConfig({ ...base, REGISTRATION_MAX_PER_IP_PER_HOUR: "0" }).registrationLimits.perIp).toBe(0);
    expect(() => loadAccountsConfig({ ...base, REGISTRATION_MAX_PER_IP_PER_HOUR: "-1" })).toThrow(/REGISTRATION_MAX_PER_IP_PER_HOUR/);
  });

  it("REGISTRATION_VERIFICATION: e-mail codes by default, over SMTP_URL (required then); off needs no mail; bad values stop the start", () => {
    const { SMTP_URL: _smtp, ...noMail } = base;
    const mailing = loadAccountsConfig({ ...noMail, SMTP_URL: "smtp://mail.example:587" });
    expect(mailing.registrationVerification).toEqual({ mode: "email", codeTtlMs: 30 * 60_000, maxAttempts: 5, mailsPerAddressPerHour: 3 });
    expect(mailing.smtp).toEqual({ url: "smtp://mail.example:587", from: "Clinigraph <no-reply@clinigraph.local>" });
    expect(() => loadAccountsConfig(noMail)).toThrow(/SMTP_URL/);
    expect(loadAccountsConfig({ ...noMail, REGISTRATION_VERIFICATION: "off" })).toMatchObject({ registrationVerification: { mode: "off" }, smtp: null });
    // Without codes, SMTP_URL is optional and still sends e-mail change codes.
    expect(loadAccountsConfig({ ...noMail, REGISTRATION_VERIFICATION: "off", SMTP_URL: "smtp://m:25" }).smtp).toEqual({
      url: "smtp://m:25",
      from: "Clinigraph <no-reply@clinigraph.local>",
    });
    expect(() => loadAccountsConfig({ ...noMail, REGISTRATION_VERIFICATION: "maybe" })).toThrow(/REGISTRATION_VERIFICATION/);
    expect(() => loadAccountsConfig({ ...noMail, SMTP_URL: "http://mail.example" })).toThrow(/SMTP_URL/);
    expect(() => loadAccountsConfig({ ...noMail, SMTP_URL: "smtp://m:25", REGISTRATION_CODE_TTL_MINUTES: "1" })).toThrow(/REGISTRATION_CODE_TTL_MINUTES/);
    expect(() => loadAccountsConfig({ ...noMail, SMTP_URL: "smtp://m:25", REGISTRATION_CODE_ATTEMPTS: "0" })).toThrow(/REGISTRATION_CODE_ATTEMPTS/);
  });
});
