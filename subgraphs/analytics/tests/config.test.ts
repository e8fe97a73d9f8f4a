import { describe, expect, it } from "@jest/globals";
import { ConfigError } from "@clinigraph/platform";
import { loadAnalyticsConfig } from "../src/config.js";

const valid = { DATABASE_URL: "postgresql://postgres@127.0.0.1:5432/postgres", CLINIGRAPH_ROUTER_SECRETS: "a-secret-of-at-least-thirty-two-chars" };

describe("loadAnalyticsConfig", () => {
  it("derives the port from CLINIGRAPH_PORT_BASE", () => {
    expect(loadAnalyticsConfig({ ...valid, CLINIGRAPH_PORT_BASE: "5000" }).port).toBe(5006);
  });

  it.each([
    ["DATABASE_URL", { ...valid, DATABASE_URL: undefined }],
    ["ANALYTICS_PORT", { ...valid, ANALYTICS_PORT: "abc" }],
    ["REDIS_URL", { ...valid, REDIS_URL: "http://redis" }],
  ])("refuses a bad %s at boot, naming it", (name, env) => {
    expect(() => loadAnalyticsConfig(env)).toThrow(ConfigError);
    expect(() => loadAnalyticsConfig(env)).toThrow(name);
  });

  it("reads the clinic's time zone and currency, the minimum cell, and a pseudonym key (required in production)", () => {
    const config = loadAnalyticsConfig({ ...valid, CLINIC_TIMEZONE: "Asia/Seoul", ANALYTICS_MIN_CELL: "7" });
    expect(config).toMatchObject({ timezone: "Asia/Seoul", currency: "EUR", minCell: 7 });
    expect(config.pseudonymKey.length).toBeGreaterThanOrEqual(32); // derived from the router secret outside production
    expect(() => loadAnalyticsConfig({ ...valid, NODE_ENV: "production" })).toThrow(/ANALYTICS_PSEUDONYM_KEY is required in production/);
    expect(() => loadAnalyticsConfig({ ...valid, ANALYTICS_PSEUDONYM_KEY: "short" })).toThrow(/at least 32/);
    const key = "k".repeat(40);
    expect(loadAnalyticsConfig({ ...valid, NODE_ENV: "production", ANALYTICS_PSEUDONYM_KEY: key }).pseudonymKey).toBe(key);
    expect(() => loadAnalyticsConfig({ ...valid, ANALYTICS_MIN_CELL: "0" })).toThrow(/ANALYTICS_MIN_CELL/);
  });
});
