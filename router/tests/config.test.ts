import path from "node:path";
import { ConfigError, REPO_ROOT } from "@clinigraph/platform";
import { loadRouterConfig, subgraphUrlOverrides } from "../src/config.js";

const SECRET = "s".repeat(32);
const env = (extra: Record<string, string> = {}) => ({ CLINIGRAPH_ROUTER_SECRETS: SECRET, ...extra });

describe("loadRouterConfig", () => {
  it("has defaults for everything but the router secrets", () => {
    expect(loadRouterConfig(env())).toEqual({
      port: 4000,
      host: "127.0.0.1",
      supergraphPath: path.join(REPO_ROOT, "schema", "supergraph.graphql"),
      jwksUrl: "http://127.0.0.1:4001/.well-known/jwks.json",
      routerSecrets: [SECRET],
      subgraphUrls: {},
      subgraphTimeoutMs: 30_000,
      exposeInternalErrors: false,
      corsOrigins: [],
    });
  });

  it("fails fast, naming the variable, without router secrets", () => {
    expect(() => loadRouterConfig({})).toThrow(new ConfigError("Missing environment variable CLINIGRAPH_ROUTER_SECRETS"));
    expect(() => loadRouterConfig({ CLINIGRAPH_ROUTER_SECRETS: "short" })).toThrow(/at least 32 characters/);
  });

  it("reads env, and flags win over env", () => {
    const config = loadRouterConfig(env({ ROUTER_PORT: "5000", SUPERGRAPH_PATH: "/tmp/a.graphql", CLINIGRAPH_ROUTER_SECRETS: `${SECRET},${"t".repeat(40)}` }), [
      "--port",
      "6000",
      "--supergraph=/tmp/b.graphql",
    ]);
    expect(config).toMatchObject({ port: 6000, supergraphPath: "/tmp/b.graphql", routerSecrets: [SECRET, "t".repeat(40)] });
    expect(loadRouterConfig(env({ ROUTER_PORT: "5000", SUPERGRAPH_PATH: "/tmp/a.graphql" }))).toMatchObject({ port: 5000, supergraphPath: "/tmp/a.graphql" });
  });

  it("rejects bad flags and values", () => {
    expect(() => loadRouterConfig(env(), ["--port", "abc"])).toThrow(ConfigError);
    expect(() => loadRouterConfig(env(), ["--nope"])).toThrow(/Unknown argument/);
    expect(() => loadRouterConfig(env(), ["--supergraph"])).toThrow(/needs a value/);
    expect(() => loadRouterConfig(env({ ROUTER_PORT: "x" }))).toThrow(/ROUTER_PORT/);
    expect(() => loadRouterConfig(env({ ACCOUNTS_JWKS_URL: "ftp://x" }))).toThrow(/ACCOUNTS_JWKS_URL/);
  });

  it("exposes internal errors only in development", () => {
    expect(loadRouterConfig(env({ NODE_ENV: "development" })).exposeInternalErrors).toBe(true);
    expect(loadRouterConfig(env({ NODE_ENV: "production" })).exposeInternalErrors).toBe(false);
  });
});

describe("subgraphUrlOverrides", () => {
  it("takes every <NAME>_URL holding an http(s) URL, except the JWKS", () => {
    expect(
      subgraphUrlOverrides({
        ACCOUNTS_URL: "http://10.0.0.1:4001/graphql",
        LAB_RESULTS_URL: "https://lab.internal/graphql",
        ACCOUNTS_JWKS_URL: "http://127.0.0.1:4001/.well-known/jwks.json",
        DATABASE_URL: "postgresql://postgres@127.0.0.1:5432/postgres",
        REDIS_URL: "redis://127.0.0.1:6379",
      }),
    ).toEqual({ accounts: "http://10.0.0.1:4001/graphql", lab_results: "https://lab.internal/graphql" });
  });
});
