import { describe, expect, it } from "@jest/globals";
import { ConfigError } from "@clinigraph/platform";
import { loadNotificationsConfig } from "../src/config.js";

const valid = { DATABASE_URL: "postgresql://postgres@127.0.0.1:5432/postgres", CLINIGRAPH_ROUTER_SECRETS: "a-secret-of-at-least-thirty-two-chars" };

describe("loadNotificationsConfig", () => {
  it("derives the port from CLINIGRAPH_PORT_BASE", () => {
    expect(loadNotificationsConfig({ ...valid, CLINIGRAPH_PORT_BASE: "5000" }).port).toBe(5007);
  });

  it.each([
    ["DATABASE_URL", { ...valid, DATABASE_URL: undefined }],
    ["NOTIFICATIONS_PORT", { ...valid, NOTIFICATIONS_PORT: "abc" }],
    ["REDIS_URL", { ...valid, REDIS_URL: "http://redis" }],
  ])("refuses a bad %s at boot, naming it", (name, env) => {
    expect(() => loadNotificationsConfig(env)).toThrow(ConfigError);
    expect(() => loadNotificationsConfig(env)).toThrow(name);
  });
});
