/**
 * Router configuration from the environment (and optional command-line flags), read once at boot through
 * `readEnv` (packages/platform/src/config.ts): every variable the router reads is declared here, with its
 * default; a missing or malformed one stops the boot with a ConfigError that names it. Nothing else in the
 * router reads the environment; createRouter and its parts fall back to the same ROUTER_DEFAULTS.
 *
 *   --supergraph <file> | SUPERGRAPH_PATH   default <repo>/schema/supergraph.graphql
 *   --port <n>          | ROUTER_PORT        default CLINIGRAPH_PORT_BASE (default 4000)
 *   --host <h>          | ROUTER_HOST        default 127.0.0.1
 *   CLINIGRAPH_PORT_BASE                     the stack's ports: router = base, accounts = base + 1 … notifications = base + 7
 *   ACCOUNTS_URL, DOCTORS_URL, SCHEDULING_URL, CLINICAL_URL, BILLING_URL, ANALYTICS_URL, NOTIFICATIONS_URL
 *                                            where each subgraph is; default http://127.0.0.1:<its port>/graphql, its port from
 *                                            CLINIGRAPH_PORT_BASE or <SERVICE>_PORT. A subgraph none of these variables places
 *                                            keeps the URL in the supergraph (the committed one names the default ports)
 *   ACCOUNTS_JWKS_URL                        default /.well-known/jwks.json beside the accounts URL
 *   CLINIGRAPH_ROUTER_SECRETS                required, comma-separated (first signs, all verify), each at least 32 characters
 *   SUBGRAPH_TIMEOUT_MS                      default REQUEST_TIMEOUT_MS (a subgraph call is useless past the deadline)
 *   NODE_ENV=development                     exposes internal error messages and stack traces
 *   NODE_ENV=production                      turns schema introspection off (on otherwise, e.g. under `pnpm start`), and
 *                                            GraphiQL: outside production a browser opening /graphql gets it (graphiql.ts)
 *   GRAPHIQL_DIR                             GraphiQL's build, default <repo>/apps/web/dist-graphiql (`pnpm web:build`)
 *   LOG_LEVEL                                default info (silent under NODE_ENV=test)
 *   CORS_ORIGINS                             comma-separated browser origins (outside production: the web app's,
 *                                            http://127.0.0.1:3000 and http://localhost:3000)
 *   RECENT_LOGIN_SECONDS                     @policy recent_login: privileged actions within this long of signing in, default 3600
 *   METRICS_TOKEN                            /metrics needs `Authorization: Bearer <token>` (at least 32 characters); unset:
 *                                            /metrics only on a loopback listener (ROUTER_HOST 127.0.0.1), else 404
 *   ACCOUNTS_SESSIONS_URL                    accounts' session status (ended sessions refused), default /internal/sessions beside the JWKS
 *   SESSION_CHECK_CACHE_MS                   how long an open session is trusted before asking again, default 5000 (0: every request)
 *   SESSION_RECHECK_MS                       how often open WebSockets re-check their session, default 10000
 * The edge (edge.ts, docs/adr/0010):
 *   PERSISTED_QUERIES=off|apq|safelist       default safelist when PERSISTED_QUERY_MANIFEST is set, else apq
 *   PERSISTED_QUERY_MANIFEST                 Apollo persisted query manifest (JSON) of the safelist
 *   PERSISTED_QUERY_TTL_SECONDS              APQ entries in Redis, default 86400
 *   RATE_LIMIT_PER_MINUTE                    operations per signed-in user, default 600 (0 turns rate limits off)
 *   RATE_LIMIT_ANONYMOUS_PER_MINUTE          operations per client address without a token, default 120
 *   REQUEST_TIMEOUT_MS                       total time of one HTTP GraphQL request, default 15000
 *   HTTP_HEADERS_TIMEOUT_MS                  time for a client to send its headers, default 10000
 *   HTTP_REQUEST_TIMEOUT_MS                  time for a client to send its whole request, default 30000
 *   REDIS_URL                                rate-limit counters and the APQ cache (else in this process)
 *   TRUSTED_PROXIES                          comma-separated proxy addresses/CIDRs (or loopback, linklocal, uniquelocal) whose
 *                                            X-Forwarded-For gives the client address; default none: the header is ignored
 *   EVENTS_NAMESPACE                         prefix of every Redis key, as in the subgraphs
 */
import path from "node:path";
import {
  ConfigError,
  DEFAULT_PORTS,
  REPO_ROOT,
  configCheck,
  readEnv,
  readRuntime,
  servicePort,
  serviceUrl,
  v,
  type Env,
  type ServiceName,
} from "@clinigraph/platform";
import { PERSISTED_QUERY_MODES, type PersistedQueryMode } from "./persistedQueries.js";
import type { RateLimitOptions } from "./rateLimit.js";
import { compileTrustedProxies } from "./clientAddress.js";

/** The router's defaults, written once: the configuration and createRouter's parts (edge, sessions, policies) use them. */
export const ROUTER_DEFAULTS = {
  host: "127.0.0.1",
  requestTimeoutMs: 15_000,
  headersTimeoutMs: 10_000,
  httpRequestTimeoutMs: 30_000,
  apqTtlSeconds: 86_400,
  rateLimitPerMinute: 600,
  rateLimitAnonymousPerMinute: 120,
  recentLoginSeconds: 3_600,
  sessionCheckCacheMs: 5_000,
  sessionRecheckMs: 10_000,
  /** `pnpm web:build` builds GraphiQL here (apps/web/vite.graphiql.config.ts). */
  graphiqlDir: path.join(REPO_ROOT, "apps", "web", "dist-graphiql"),
} as const;

export interface RouterConfig {
  port: number;
  host: string;
  supergraphPath: string;
  jwksUrl: string;
  routerSecrets: string[];
  /** Subgraph URLs the environment sets, keyed by subgraph name (the others keep the supergraph's URL). */
  subgraphUrls: Record<string, string>;
  subgraphTimeoutMs: number;
  exposeInternalErrors: boolean;
  logLevel: string;
  /** CORS_ORIGINS: comma-separated browser origins allowed to call the router. */
  corsOrigins: string[];
  persistedQueries: { mode: PersistedQueryMode; manifestPath?: string; ttlSeconds: number };
  /** false: no rate limits (RATE_LIMIT_PER_MINUTE=0). */
  rateLimit: RateLimitOptions | false;
  requestTimeoutMs: number;
  headersTimeoutMs: number;
  httpRequestTimeoutMs: number;
  redisUrl?: string;
  redisNamespace: string;
  /** TRUSTED_PROXIES: proxies whose X-Forwarded-For is believed (clientAddress.ts); none by default. */
  trustedProxies: string[];
  /** Options of the router's `@policy` rules (docs/adr/0009). */
  policies: { recentLoginSeconds: number };
  /** Schema introspection: off when NODE_ENV=production. */
  introspection: boolean;
  /** GraphiQL on GET /graphql for browsers (graphiql.ts): off when NODE_ENV=production. */
  graphiql: boolean;
  /** GRAPHIQL_DIR: where GraphiQL's build is. */
  graphiqlDir: string;
  /** METRICS_TOKEN: bearer token /metrics requires (metricsAccess.ts). */
  metricsToken?: string;
  /** Ended sessions refused at once (sessions.ts). */
  sessions: { url: string; cacheMs: number; recheckMs: number };
}

const HTTP = ["http:", "https:"] as const;

/** The subgraphs the router can be told about: every service of the stack but itself. */
const SUBGRAPHS = (Object.keys(DEFAULT_PORTS) as ServiceName[]).filter((service) => service !== "router");

export function loadRouterConfig(env: Env = process.env, argv: readonly string[] = []): RouterConfig {
  const flags = parseFlags(argv);
  const { logLevel, nodeEnv } = readRuntime(env);
  const port = flags.port !== undefined ? readEnv({ "--port": v.port() }, { "--port": flags.port })["--port"] : servicePort("router", env);
  const vars = readEnv(
    {
      SUPERGRAPH_PATH: v.string(path.join(REPO_ROOT, "schema", "supergraph.graphql")),
      ROUTER_HOST: v.string(ROUTER_DEFAULTS.host),
      CLINIGRAPH_ROUTER_SECRETS: v.list(),
      ACCOUNTS_JWKS_URL: v.url(HTTP, new URL("/.well-known/jwks.json", serviceUrl("accounts", env)).href),
      REQUEST_TIMEOUT_MS: v.int(ROUTER_DEFAULTS.requestTimeoutMs, { min: 1 }),
      HTTP_HEADERS_TIMEOUT_MS: v.int(ROUTER_DEFAULTS.headersTimeoutMs, { min: 1 }),
      HTTP_REQUEST_TIMEOUT_MS: v.int(ROUTER_DEFAULTS.httpRequestTimeoutMs, { min: 1 }),
      // Outside production the web app of `pnpm start` (http://127.0.0.1:3000) may call the router from a browser.
      CORS_ORIGINS: v.list(nodeEnv === "production" ? [] : ["http://127.0.0.1:3000", "http://localhost:3000"]),
      REDIS_URL: v.optionalUrl(["redis:", "rediss:"]),
      EVENTS_NAMESPACE: v.string(""),
      TRUSTED_PROXIES: v.list([]),
      RECENT_LOGIN_SECONDS: v.int(ROUTER_DEFAULTS.recentLoginSeconds, { min: 1 }),
      METRICS_TOKEN: v.optional(),
      SESSION_CHECK_CACHE_MS: v.int(ROUTER_DEFAULTS.sessionCheckCacheMs, { min: 0, max: 60_000 }),
      SESSION_RECHECK_MS: v.int(ROUTER_DEFAULTS.sessionRecheckMs, { min: 1 }),
      PERSISTED_QUERY_MANIFEST: v.optional(),
      PERSISTED_QUERY_TTL_SECONDS: v.int(ROUTER_DEFAULTS.apqTtlSeconds, { min: 1 }),
      RATE_LIMIT_PER_MINUTE: v.int(ROUTER_DEFAULTS.rateLimitPerMinute, { min: 0 }),
      RATE_LIMIT_ANONYMOUS_PER_MINUTE: v.int(ROUTER_DEFAULTS.rateLimitAnonymousPerMinute, { min: 1 }),
      GRAPHIQL_DIR: v.string(ROUTER_DEFAULTS.graphiqlDir),
    },
    env,
  );
  // Defaults that follow other variables.
  const derived = readEnv(
    {
      SUBGRAPH_TIMEOUT_MS: v.int(vars.REQUEST_TIMEOUT_MS, { min: 1 }),
      ACCOUNTS_SESSIONS_URL: v.url(HTTP, new URL("/internal/sessions", vars.ACCOUNTS_JWKS_URL).href),
      PERSISTED_QUERIES: v.oneOf(PERSISTED_QUERY_MODES, vars.PERSISTED_QUERY_MANIFEST ? "safelist" : "apq"),
    },
    env,
  );

  const routerSecrets = vars.CLINIGRAPH_ROUTER_SECRETS;
  configCheck(routerSecrets.length > 0, "CLINIGRAPH_ROUTER_SECRETS holds no secret");
  configCheck(
    routerSecrets.every((s) => s.length >= 32),
    "CLINIGRAPH_ROUTER_SECRETS must hold secrets of at least 32 characters each",
  );
  configCheck(vars.HTTP_HEADERS_TIMEOUT_MS <= vars.HTTP_REQUEST_TIMEOUT_MS, "HTTP_HEADERS_TIMEOUT_MS must not exceed HTTP_REQUEST_TIMEOUT_MS");
  configCheck(vars.METRICS_TOKEN === undefined || vars.METRICS_TOKEN.length >= 32, "METRICS_TOKEN must be at least 32 characters");
  configCheck(
    derived.PERSISTED_QUERIES !== "safelist" || vars.PERSISTED_QUERY_MANIFEST !== undefined,
    "PERSISTED_QUERIES=safelist needs PERSISTED_QUERY_MANIFEST (a manifest file)",
  );
  try {
    compileTrustedProxies(vars.TRUSTED_PROXIES);
  } catch {
    throw new ConfigError("TRUSTED_PROXIES must list IP addresses or CIDRs (or loopback, linklocal, uniquelocal), comma-separated");
  }

  return {
    port,
    host: flags.host ?? vars.ROUTER_HOST,
    supergraphPath: path.resolve(flags.supergraph ?? vars.SUPERGRAPH_PATH),
    jwksUrl: vars.ACCOUNTS_JWKS_URL,
    routerSecrets,
    subgraphUrls: subgraphUrlOverrides(env),
    subgraphTimeoutMs: derived.SUBGRAPH_TIMEOUT_MS,
    exposeInternalErrors: nodeEnv === "development",
    logLevel,
    corsOrigins: vars.CORS_ORIGINS,
    persistedQueries: {
      mode: derived.PERSISTED_QUERIES,
      ...(vars.PERSISTED_QUERY_MANIFEST ? { manifestPath: path.resolve(vars.PERSISTED_QUERY_MANIFEST) } : {}),
      ttlSeconds: vars.PERSISTED_QUERY_TTL_SECONDS,
    },
    rateLimit: vars.RATE_LIMIT_PER_MINUTE === 0 ? false : { perMinute: vars.RATE_LIMIT_PER_MINUTE, anonymousPerMinute: vars.RATE_LIMIT_ANONYMOUS_PER_MINUTE },
    requestTimeoutMs: vars.REQUEST_TIMEOUT_MS,
    headersTimeoutMs: vars.HTTP_HEADERS_TIMEOUT_MS,
    httpRequestTimeoutMs: vars.HTTP_REQUEST_TIMEOUT_MS,
    redisUrl: vars.REDIS_URL,
    redisNamespace: vars.EVENTS_NAMESPACE,
    trustedProxies: vars.TRUSTED_PROXIES,
    policies: { recentLoginSeconds: vars.RECENT_LOGIN_SECONDS },
    introspection: nodeEnv !== "production",
    graphiql: nodeEnv !== "production",
    graphiqlDir: path.resolve(vars.GRAPHIQL_DIR),
    metricsToken: vars.METRICS_TOKEN,
    sessions: { url: derived.ACCOUNTS_SESSIONS_URL, cacheMs: vars.SESSION_CHECK_CACHE_MS, recheckMs: vars.SESSION_RECHECK_MS },
  };
}

/**
 * Where the environment places the known subgraphs (`serviceUrl`: `<SERVICE>_URL`, else 127.0.0.1 on the port
 * that CLINIGRAPH_PORT_BASE or `<SERVICE>_PORT` gives it), for each subgraph one of those variables is set for.
 * Other `*_URL` variables are not subgraphs.
 */
export function subgraphUrlOverrides(env: Env): Record<string, string> {
  const isSet = (name: string) => env[name] !== undefined && env[name] !== "";
  const overrides: Record<string, string> = {};
  for (const service of SUBGRAPHS) {
    const name = service.toUpperCase();
    if (isSet("CLINIGRAPH_PORT_BASE") || isSet(`${name}_URL`) || isSet(`${name}_PORT`)) overrides[service] = serviceUrl(service, env);
  }
  return overrides;
}

type Flag = "supergraph" | "port" | "host";

function parseFlags(argv: readonly string[]): Partial<Record<Flag, string>> {
  const flags: Partial<Record<Flag, string>> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    const [name, inline] = arg.startsWith("--") ? arg.slice(2).split("=", 2) : [undefined, undefined];
    if (name !== "supergraph" && name !== "port" && name !== "host")
      throw new ConfigError(`Unknown argument "${arg}" (expected --supergraph <file>, --port <n>, --host <h>)`);
    const value = inline ?? argv[++i];
    if (value === undefined || value === "") throw new ConfigError(`--${name} needs a value`);
    flags[name] = value;
  }
  return flags;
}
