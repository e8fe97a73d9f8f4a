/** loadDoctorsConfig: defaults, the port base, and bad values refused with the variable's name. */
import { describe, expect, it } from "@jest/globals";
import { ConfigError } from "@clinigraph/platform";
import { loadDoctorsConfig } from "../src/config.js";
import { failure } from "./support/failure.js";

const valid = { DATABASE_URL: "postgresql://postgres@127.0.0.1:5432/clinigraph", CLINIGRAPH_ROUTER_SECRETS: "a-secret,an-older-one" };

describe("loadDoctorsConfig", () => {
  it("reads the defaults", () => {
    expect(loadDoctorsConfig(valid)).toMatchObject({
      databaseUrl: valid.DATABASE_URL,
      routerSecrets: ["a-secret", "an-older-one"],
      host: "127.0.0.1",
      port: 4002,
      accountsUrl: "http://127.0.0.1:4001/graphql",
      // Scheduling learns of schedule changes from DoctorScheduleChanged events; doctors calls scheduling only for a
      // schedule template's preview (the appointments it would leave uncovered).
      schedulingUrl: "http://127.0.0.1:4003/graphql",
      exposeInternalErrors: false,
    });
  });

  it("reads every variable it uses", () => {
    const config = loadDoctorsConfig({
      ...valid,
      DOCTORS_PORT: "0",
      HOST: "0.0.0.0",
      DOCTORS_HOST: "10.0.0.2",
      ACCOUNTS_URL: "https://accounts.example.test/graphql",
      REDIS_URL: "redis://redis.example.test:6379",
      EVENTS_NAMESPACE: "staging:",
      LOG_LEVEL: "debug",
      NODE_ENV: "development",
    });
    expect(config).toMatchObject({
      port: 0,
      host: "10.0.0.2",
      accountsUrl: "https://accounts.example.test/graphql",
      redisUrl: "redis://redis.example.test:6379",
      namespace: "staging:",
      logLevel: "debug",
      exposeInternalErrors: true,
    });
  });

  it("finds its own port and its neighbours from CLINIGRAPH_PORT_BASE", () => {
    expect(loadDoctorsConfig({ ...valid, CLINIGRAPH_PORT_BASE: "5000" })).toMatchObject({
      port: 5002,
      accountsUrl: "http://127.0.0.1:5001/graphql",
    });
  });

  it.each([
    ["DOCTORS_PORT", { DOCTORS_PORT: "abc" }],
    ["ACCOUNTS_URL", { ACCOUNTS_URL: "ftp://x" }],
    ["REDIS_URL", { REDIS_URL: "http://not-redis" }],
    ["DATABASE_URL", { DATABASE_URL: undefined }],
    ["CLINIGRAPH_ROUTER_SECRETS", { CLINIGRAPH_ROUTER_SECRETS: "" }],
    ["CLINIGRAPH_ROUTER_SECRETS", { CLINIGRAPH_ROUTER_SECRETS: " , " }],
    ["LOG_LEVEL", { LOG_LEVEL: "loud" }],
  ])("refuses a bad %s", (name, patch) => {
    const err = failure(() => loadDoctorsConfig({ ...valid, ...patch }));
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toContain(name);
  });
});
