import path from "node:path";
import { ConfigError, REPO_ROOT } from "@clinigraph/platform";
import { loadRouterConfig, subgraphUrlOverrides } from "../src/config.js";
import { DEFAULT_LIMITS } from "../src/limits.js";

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
      limits: { maxDepth: 12, maxAliases: 15, maxCost: 5_000, maxDirectives: 50, maxTokens: 2_000 },
      executor: "router",
      dedupeSubgraphRequests: true,
      heapGrowingPercent: 100,
      workers: 1,
      subgraphTimeoutMs: 15_000,
      exposeInternalErrors: false,
      logLevel: "info",
      corsOrigins: ["http://127.0.0.1:3000", "http://localhost:3000"],
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
      graphiql: true,
      graphiqlDir: path.join(REPO_ROOT, "apps", "web", "dist-graphiql"),
    });
  });

  it("serves GraphiQL outside production only, from GRAPHIQL_DIR when set", () => {
    expect(loadRouterConfig(env({ NODE_ENV: "production" })).graphiql).toBe(false);
    expect(loadRouterConfig(env({ NODE_ENV: "development" })).graphiql).toBe(true);
    expect(loadRouterConfig(env({ GRAPHIQL_DIR: "some/graphiql" })).graphiqlDir).toBe(path.resolve("some/graphiql"));
  });

  it("lets the web app of pnpm start call it outside production, and no browser origin in production", () => {
    expect(loadRouterConfig(env({ NODE_ENV: "production" })).corsOrigins).toEqual([]);
    const tuned = loadRouterConfig(env({ ROUTER_EXECUTOR: "apollo", SUBGRAPH_DEDUPE: "off", ROUTER_HEAP_GROWING_PERCENT: "0" }));
    expect([tuned.executor, tuned.dedupeSubgraphRequests, tuned.heapGrowingPercent]).toEqual(["apollo", false, 0]);
    expect(() => loadRouterConfig(env({ ROUTER_EXECUTOR: "fast" }))).toThrow(/ROUTER_EXECUTOR/);
    expect(() => loadRouterConfig(env({ SUBGRAPH_DEDUPE: "yes" }))).toThrow(/SUBGRAPH_DEDUPE/);
    expect(loadRouterConfig(env({ ROUTER_WORKERS: "2" })).workers).toBe(2);
    expect(() => loadRouterConfig(env({ ROUTER_WORKERS: "0" }))).toThrow(/ROUTER_WORKERS/);
    expect(loadRouterConfig(env({ CORS_ORIGINS: "https://app.clinic.example" })).corsOrigins).toEqual(["https://app.clinic.example"]);
  });

  it("fails fast, naming the variable, without router secrets", () => {
    expect(() => loadRouterConfig({})).toThrow(new ConfigError("CLINIGRAPH_ROUTER_SECRETS is required"));
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
  it("reads the known subgraphs' <SERVICE>_URL only: other *_URL variables are not subgraphs", () => {
    expect(
      subgraphUrlOverrides({
        ACCOUNTS_URL: "http://10.0.0.1:4001/graphql",
        LAB_RESULTS_URL: "https://lab.internal/graphql",
        FOO_URL: "http://x",
        ACCOUNTS_JWKS_URL: "http://127.0.0.1:4001/.well-known/jwks.json",
        DATABASE_URL: "postgresql://postgres@127.0.0.1:5432/postgres",
        REDIS_URL: "redis://127.0.0.1:6379",
      }),
    ).toEqual({ accounts: "http://10.0.0.1:4001/graphql" });
    expect(loadRouterConfig(env({ FOO_URL: "http://x" })).subgraphUrls).toEqual({});
  });

  it("places every known subgraph by the port base, one by its own port, and refuses a URL that is not http(s)", () => {
    const moved = loadRouterConfig(env({ CLINIGRAPH_PORT_BASE: "5000" }));
    expect(moved.port).toBe(5000);
    expect(moved.subgraphUrls).toEqual({
      accounts: "http://127.0.0.1:5001/graphql",
      doctors: "http://127.0.0.1:5002/graphql",
      scheduling: "http://127.0.0.1:5003/graphql",
      clinical: "http://127.0.0.1:5004/graphql",
      billing: "http://127.0.0.1:5005/graphql",
      analytics: "http://127.0.0.1:5006/graphql",
      notifications: "http://127.0.0.1:5007/graphql",
    });
    expect(moved.jwksUrl).toBe("http://127.0.0.1:5001/.well-known/jwks.json"); // beside accounts
    expect(moved.sessions.url).toBe("http://127.0.0.1:5001/internal/sessions");
    expect(loadRouterConfig(env({ CLINIGRAPH_PORT_BASE: "5000" }), ["--port", "6000"]).port).toBe(6000);
    expect(loadRouterConfig(env({ DOCTORS_PORT: "4102" })).subgraphUrls).toEqual({ doctors: "http://127.0.0.1:4102/graphql" });
    expect(loadRouterConfig(env({ ACCOUNTS_URL: "http://accounts:4001/graphql" })).jwksUrl).toBe("http://accounts:4001/.well-known/jwks.json");
    expect(() => loadRouterConfig(env({ DOCTORS_URL: "ftp://doctors/graphql" }))).toThrow(/^DOCTORS_URL must be a URL/);
  });
});

describe("subgraphUrlOverrides: whose subgraphs the stack's variables place", () => {
  const OWN = path.join(REPO_ROOT, "schema", "supergraph.graphql");
  const OTHER = "/tmp/other-suite/supergraph.graphql";
  const AMBIENT = { ACCOUNTS_URL: "http://10.0.0.1:4001/graphql", DOCTORS_PORT: "4102", CLINIGRAPH_PORT_BASE: "5000" };

  it("applies <SERVICE>_URL, <SERVICE>_PORT and CLINIGRAPH_PORT_BASE to the project's own supergraph only", () => {
    const own = { accounts: "http://10.0.0.1:4001/graphql", doctors: "http://127.0.0.1:4102/graphql", scheduling: "http://127.0.0.1:5003/graphql" };
    expect(loadRouterConfig(env(AMBIENT)).subgraphUrls).toMatchObject(own);
    // The default path named explicitly is still the project's supergraph.
    expect(loadRouterConfig(env({ ...AMBIENT, SUPERGRAPH_PATH: OWN })).subgraphUrls).toMatchObject(own);
    expect(loadRouterConfig(env(AMBIENT), ["--supergraph", OWN]).subgraphUrls).toMatchObject(own);
    // Another supergraph (a test suite's, whose subgraph is also called "accounts"): ambient variables do not reroute it.
    expect(loadRouterConfig(env(AMBIENT), ["--supergraph", OTHER]).subgraphUrls).toEqual({});
    expect(loadRouterConfig(env({ ...AMBIENT, SUPERGRAPH_PATH: OTHER })).subgraphUrls).toEqual({});
    expect(subgraphUrlOverrides(AMBIENT, OTHER)).toEqual({});
    // … nor stop it: they are not read at all.
    expect(loadRouterConfig(env({ DOCTORS_URL: "ftp://doctors/graphql" }), ["--supergraph", OTHER]).subgraphUrls).toEqual({});
  });

  it("keeps the router's own ports and accounts' JWKS on the stack's variables, whatever the supergraph", () => {
    const config = loadRouterConfig(env(AMBIENT), ["--supergraph", OTHER]);
    expect(config.port).toBe(5000);
    expect(config.jwksUrl).toBe("http://10.0.0.1:4001/.well-known/jwks.json");
  });

  it("applies SUBGRAPH_URLS to any supergraph, over the per-service variables", () => {
    const SUBGRAPH_URLS = " accounts=http://127.0.0.1:7001/graphql, lab-results = https://lab.internal/graphql ,";
    expect(loadRouterConfig(env({ ...AMBIENT, SUBGRAPH_URLS }), ["--supergraph", OTHER]).subgraphUrls).toEqual({
      accounts: "http://127.0.0.1:7001/graphql",
      "lab-results": "https://lab.internal/graphql",
    });
    const own = loadRouterConfig(env({ ...AMBIENT, SUBGRAPH_URLS: "ACCOUNTS=http://127.0.0.1:7001/graphql" })).subgraphUrls;
    expect(own.ACCOUNTS).toBe("http://127.0.0.1:7001/graphql");
    expect(own.accounts).toBeUndefined(); // one entry per subgraph: the gateway compares names as ACCOUNTS
    expect(own.doctors).toBe("http://127.0.0.1:4102/graphql");
    expect(subgraphUrlOverrides({ SUBGRAPH_URLS: "" })).toEqual({});
  });

  it.each([
    ["no =", "accounts"],
    ["no name", "=http://127.0.0.1:7001/graphql"],
    ["no URL", "accounts="],
    ["not http(s)", "accounts=ftp://127.0.0.1/graphql"],
    ["not a URL", "accounts=127.0.0.1:7001"],
  ])("refuses SUBGRAPH_URLS with %s, naming the variable", (_case, value) => {
    expect(() => loadRouterConfig(env({ SUBGRAPH_URLS: value }), ["--supergraph", OTHER])).toThrow(ConfigError);
    expect(() => loadRouterConfig(env({ SUBGRAPH_URLS: value }))).toThrow(/^SUBGRAPH_URLS must list name=url pairs/);
  });

  it("refuses a subgraph named twice in SUBGRAPH_URLS", () => {
    expect(() => subgraphUrlOverrides({ SUBGRAPH_URLS: "accounts=http://a:1/graphql,ACCOUNTS=http://b:1/graphql" })).toThrow(
      new ConfigError('SUBGRAPH_URLS names the subgraph "ACCOUNTS" twice'),
    );
  });
});

describe("loadRouterConfig: the edge limits", () => {
  it("reads QUERY_MAX_*, defaulting to DEFAULT_LIMITS", () => {
    expect(loadRouterConfig(env()).limits).toEqual(DEFAULT_LIMITS);
    expect(
      loadRouterConfig(env({ QUERY_MAX_DEPTH: "8", QUERY_MAX_ALIASES: "4", QUERY_MAX_COST: "900", QUERY_MAX_DIRECTIVES: "10", QUERY_MAX_TOKENS: "1200" }))
        .limits,
    ).toEqual({ maxDepth: 8, maxAliases: 4, maxCost: 900, maxDirectives: 10, maxTokens: 1_200 });
    expect(loadRouterConfig(env({ QUERY_MAX_COST: "20000" })).limits).toEqual({ ...DEFAULT_LIMITS, maxCost: 20_000 });
  });

  it.each(["QUERY_MAX_DEPTH", "QUERY_MAX_ALIASES", "QUERY_MAX_COST", "QUERY_MAX_DIRECTIVES", "QUERY_MAX_TOKENS"])(
    "refuses %s below 1 or not an integer",
    (name) => {
      expect(() => loadRouterConfig(env({ [name]: "0" }))).toThrow(new ConfigError(`${name} must be at least 1 (got "0")`));
      expect(() => loadRouterConfig(env({ [name]: "1.5" }))).toThrow(new RegExp(`^${name} must be an integer`));
    },
  );
});

describe("loadRouterConfig: a bad value stops the boot, naming the variable", () => {
  it.each([
    ["an integer", { SESSION_RECHECK_MS: "soon" }, /^SESSION_RECHECK_MS must be an integer \(got "soon"\)$/],
    ["an integer in range", { CLINIGRAPH_PORT_BASE: "70000" }, /^CLINIGRAPH_PORT_BASE must be at most 65000/],
    ["a URL", { ACCOUNTS_JWKS_URL: "not a url" }, /^ACCOUNTS_JWKS_URL must be a URL \(http:\/\/ or https:\/\/\) \(got "not a url"\)$/],
    ["a Redis URL", { REDIS_URL: "http://cache:6379" }, /^REDIS_URL must be a URL \(redis:\/\/ or rediss:\/\/\)/],
    ["one of a set", { PERSISTED_QUERIES: "yes" }, /^PERSISTED_QUERIES must be one of off, apq, safelist \(got "yes"\)$/],
    ["one of a set (LOG_LEVEL)", { LOG_LEVEL: "loud" }, /^LOG_LEVEL must be one of/],
    ["a list", { CLINIGRAPH_ROUTER_SECRETS: " , " }, /^CLINIGRAPH_ROUTER_SECRETS holds no secret$/],
    ["a list of secrets", { CLINIGRAPH_ROUTER_SECRETS: `${SECRET},short` }, /^CLINIGRAPH_ROUTER_SECRETS must hold secrets of at least 32 characters/],
    ["a list of addresses", { TRUSTED_PROXIES: "10.0.0.0/8, proxy.internal" }, /^TRUSTED_PROXIES must list IP addresses/],
  ])("%s", (_kind, vars, message) => {
    expect(() => loadRouterConfig(env(vars))).toThrow(ConfigError);
    expect(() => loadRouterConfig(env(vars))).toThrow(message);
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
