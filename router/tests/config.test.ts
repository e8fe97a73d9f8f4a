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
      subgraphTimeoutMs: 15_000,
      exposeInternalErrors: false,
      corsOrigins: [],
      persistedQueries: { mode: "apq", ttlSeconds: 86_400 },
      rateLimit: { perMinute: 600, anonymousPerMinute: 120 },
      requestTimeoutMs: 15_000,
      headersTimeoutMs: 10_000,
      httpRequestTimeoutMs: 30_000,
      redisNamespace: "",
      trustedProxies: [],
      policies: { recentLoginSeconds: 3_600 },
      sessions: { url: "http://127.0.0.1:4001/internal/sessions", cacheMs: 5_000, recheckMs: 10_000 },
      introspection: true,
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

describe("loadRouterConfig: the edge", () => {
  it("reads the edge settings", () => {
    const config = loadRouterConfig(
      env({
        PERSISTED_QUERY_MANIFEST: "ops/manifest.json",
        RATE_LIMIT_PER_MINUTE: "100",
        RATE_LIMIT_ANONYMOUS_PER_MINUTE: "10",
        REQUEST_TIMEOUT_MS: "5000",
        HTTP_HEADERS_TIMEOUT_MS: "2000",
        HTTP_REQUEST_TIMEOUT_MS: "4000",
        REDIS_URL: "redis://cache:6379",
        EVENTS_NAMESPACE: "t1:",
      }),
    );
    expect(config).toMatchObject({
      persistedQueries: { mode: "safelist", manifestPath: path.resolve("ops/manifest.json") }, // a manifest means safelist
      rateLimit: { perMinute: 100, anonymousPerMinute: 10 },
      requestTimeoutMs: 5_000,
      subgraphTimeoutMs: 5_000,
      headersTimeoutMs: 2_000,
      httpRequestTimeoutMs: 4_000,
      redisUrl: "redis://cache:6379",
      redisNamespace: "t1:",
    });
    expect(config.subgraphUrls).toEqual({}); // REDIS_URL is not a subgraph
    expect(loadRouterConfig(env({ PERSISTED_QUERIES: "off" })).persistedQueries.mode).toBe("off");
    expect(loadRouterConfig(env({ PERSISTED_QUERIES: "apq", PERSISTED_QUERY_MANIFEST: "m.json" })).persistedQueries.mode).toBe("apq");
    expect(loadRouterConfig(env({ RATE_LIMIT_PER_MINUTE: "0" })).rateLimit).toBe(false);
  });

  it("rejects bad edge settings, naming the variable", () => {
    expect(() => loadRouterConfig(env({ PERSISTED_QUERIES: "yes" }))).toThrow(/PERSISTED_QUERIES/);
    expect(() => loadRouterConfig(env({ PERSISTED_QUERIES: "safelist" }))).toThrow(/PERSISTED_QUERY_MANIFEST/);
    expect(() => loadRouterConfig(env({ RATE_LIMIT_PER_MINUTE: "-1" }))).toThrow(/RATE_LIMIT_PER_MINUTE/);
    expect(() => loadRouterConfig(env({ RATE_LIMIT_ANONYMOUS_PER_MINUTE: "0" }))).toThrow(/RATE_LIMIT_ANONYMOUS_PER_MINUTE/);
    expect(() => loadRouterConfig(env({ REQUEST_TIMEOUT_MS: "0" }))).toThrow(/REQUEST_TIMEOUT_MS/);
    expect(() => loadRouterConfig(env({ HTTP_HEADERS_TIMEOUT_MS: "60000" }))).toThrow(/HTTP_HEADERS_TIMEOUT_MS/);
    expect(() => loadRouterConfig(env({ TRUSTED_PROXIES: "10.0.0.0/8, proxy.internal" }))).toThrow(/TRUSTED_PROXIES/);
    expect(() => loadRouterConfig(env({ TRUSTED_PROXIES: "10.0.0.0/33" }))).toThrow(/TRUSTED_PROXIES/);
  });

  it("asks accounts about sessions beside its JWKS unless told otherwise; bad session settings stop it", () => {
    expect(loadRouterConfig(env({ ACCOUNTS_JWKS_URL: "http://accounts:4001/.well-known/jwks.json" })).sessions.url).toBe(
      "http://accounts:4001/internal/sessions",
    );
    const tuned = loadRouterConfig(env({ ACCOUNTS_SESSIONS_URL: "http://a:1/s", SESSION_CHECK_CACHE_MS: "0", SESSION_RECHECK_MS: "250" }));
    expect(tuned.sessions).toEqual({ url: "http://a:1/s", cacheMs: 0, recheckMs: 250 });
    expect(tuned.subgraphUrls).toEqual({}); // not a subgraph
    expect(() => loadRouterConfig(env({ SESSION_CHECK_CACHE_MS: "-1" }))).toThrow(/SESSION_CHECK_CACHE_MS/);
    expect(() => loadRouterConfig(env({ SESSION_CHECK_CACHE_MS: "600000" }))).toThrow(/SESSION_CHECK_CACHE_MS/);
    expect(() => loadRouterConfig(env({ SESSION_RECHECK_MS: "0" }))).toThrow(/SESSION_RECHECK_MS/);
    expect(() => loadRouterConfig(env({ ACCOUNTS_SESSIONS_URL: "ftp://x" }))).toThrow(/ACCOUNTS_SESSIONS_URL/);
  });

  it("reads the trusted proxies (addresses, CIDRs, proxy-addr's names)", () => {
    expect(loadRouterConfig(env({ TRUSTED_PROXIES: "10.0.0.0/8, 192.0.2.7,fd00::/8,loopback" })).trustedProxies).toEqual([
      "10.0.0.0/8",
      "192.0.2.7",
      "fd00::/8",
      "loopback",
    ]);
  });
});
