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
    ["SMTP_URL", { ...valid, SMTP_URL: "http://mail.example" }],
    ["TWILIO_AUTH_TOKEN", { ...valid, TWILIO_ACCOUNT_SID: "AC123" }],
    ["VAPID_PUBLIC_KEY", { ...valid, VAPID_PRIVATE_KEY: "x" }],
    ["VAPID_SUBJECT", { ...valid, VAPID_PUBLIC_KEY: "a", VAPID_PRIVATE_KEY: "b", VAPID_SUBJECT: "admin@clinic" }],
    ["NOTIFICATIONS_BATCH_SIZE", { ...valid, NOTIFICATIONS_BATCH_SIZE: "0" }],
    ["NOTIFICATIONS_SCHEDULER", { ...valid, NOTIFICATIONS_SCHEDULER: "maybe" }],
  ])("refuses a bad %s at boot, naming it", (name, env) => {
    expect(() => loadNotificationsConfig(env)).toThrow(ConfigError);
    expect(() => loadNotificationsConfig(env)).toThrow(name);
  });

  it("leaves a channel unconfigured (null) rather than half-configured, and reads the scheduler's settings", () => {
    const config = loadNotificationsConfig(valid);
    expect({ smtp: config.smtp, twilio: config.twilio, vapid: config.vapid, schedulerEnabled: config.schedulerEnabled }).toEqual({
      smtp: null,
      twilio: null,
      vapid: null,
      schedulerEnabled: true,
    });
    const full = loadNotificationsConfig({
      ...valid,
      SMTP_URL: "smtp://mail.example:587",
      TWILIO_ACCOUNT_SID: "AC123",
      TWILIO_AUTH_TOKEN: "token",
      TWILIO_FROM: "+15005550006",
      NOTIFICATIONS_BATCH_SIZE: "50",
    });
    expect(full.smtp).toEqual({ url: "smtp://mail.example:587", from: "Clinigraph <no-reply@clinigraph.local>" });
    expect(full.twilio).toEqual({ accountSid: "AC123", authToken: "token", from: "+15005550006", baseUrl: "https://api.twilio.com" });
    expect(full.scheduler.batchSize).toBe(50);
  });
});
