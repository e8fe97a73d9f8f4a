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
});
