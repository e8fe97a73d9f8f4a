import { describe, expect, it } from "@jest/globals";
import { ConfigError } from "@clinigraph/platform";
import { loadBillingConfig } from "../src/config.js";

const valid = { DATABASE_URL: "postgresql://postgres@127.0.0.1:5432/postgres", CLINIGRAPH_ROUTER_SECRETS: "a-secret-of-at-least-thirty-two-chars" };

describe("loadBillingConfig", () => {
  it("derives the port from CLINIGRAPH_PORT_BASE", () => {
    expect(loadBillingConfig({ ...valid, CLINIGRAPH_PORT_BASE: "5000" }).port).toBe(5005);
  });

  it.each([
    ["DATABASE_URL", { ...valid, DATABASE_URL: undefined }],
    ["BILLING_PORT", { ...valid, BILLING_PORT: "abc" }],
    ["REDIS_URL", { ...valid, REDIS_URL: "http://redis" }],
    ["CLINIC_CURRENCY", { ...valid, CLINIC_CURRENCY: "euro" }],
    ["CLINIC_TIMEZONE", { ...valid, CLINIC_TIMEZONE: "Mars/Olympus" }],
  ])("refuses a bad %s at boot, naming it", (name, env) => {
    expect(() => loadBillingConfig(env)).toThrow(ConfigError);
    expect(() => loadBillingConfig(env)).toThrow(name);
  });
});
