/** Clinical's configuration: defaults, and a bad value stops the boot with the variable's name. */
import { describe, expect, it } from "@jest/globals";
import { ConfigError } from "@clinigraph/platform";
import { testEnv } from "@clinigraph/testing";
import { loadClinicalConfig } from "../src/config.js";

const env = testEnv("postgresql://postgres@127.0.0.1:5432/clinigraph");

function configError(overrides: Record<string, string>): ConfigError {
  try {
    loadClinicalConfig({ ...env, ...overrides });
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error("loadClinicalConfig accepted the configuration");
}

describe("loadClinicalConfig", () => {
  it("has the defaults: port 4004, Berlin, doctors and accounts next door", () => {
    expect(loadClinicalConfig(env)).toMatchObject({
      port: 4004,
      host: "127.0.0.1",
      clinicTimezone: "Europe/Berlin",
      doctorsUrl: "http://127.0.0.1:4002/graphql",
      accountsUrl: "http://127.0.0.1:4001/graphql",
      namespace: "",
    });
  });

  it("follows CLINIGRAPH_PORT_BASE and the per-service variables", () => {
    const config = loadClinicalConfig({ ...env, CLINIGRAPH_PORT_BASE: "5000", CLINICAL_HOST: "0.0.0.0", DOCTORS_URL: "https://doctors.example/graphql" });
    expect(config).toMatchObject({ port: 5004, host: "0.0.0.0", doctorsUrl: "https://doctors.example/graphql", accountsUrl: "http://127.0.0.1:5001/graphql" });
  });

  it.each([
    ["CLINIC_TIMEZONE", "Mars/Base"],
    ["DOCTORS_URL", "ftp://x"],
    ["ACCOUNTS_URL", "not a url"],
    ["CLINICAL_PORT", "abc"],
    ["REDIS_URL", "http://redis"],
    ["LOG_LEVEL", "loud"],
  ])("refuses %s=%s, naming the variable", (name, value) => {
    expect(configError({ [name]: value }).message).toContain(name);
  });

  it("needs the data keys", () => {
    const { CLINIGRAPH_DATA_KEYS: _keys, ...withoutKeys } = env;
    expect(() => loadClinicalConfig(withoutKeys)).toThrow(/CLINIGRAPH_DATA_KEYS/);
  });
});
