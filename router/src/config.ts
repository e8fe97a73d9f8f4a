/**
 * Router configuration from the environment (and optional command-line flags), read once at boot through
 * `readEnv` (packages/platform/src/config.ts): every variable the router reads is declared here, with its
 * default; a missing or malformed one stops the boot with a ConfigError that names it. Nothing else in the
 * router reads the environment; createRouter and its parts fall back to the same ROUTER_DEFAULTS.
 *
 *   --supergraph <file> | SUPERGRAPH_PATH   default <repo>/schema/supergraph.graphql (the project's own supergraph)
 *   --port <n>          | ROUTER_PORT        default CLINIGRAPH_PORT_BASE (default 4000)
 *   --host <h>          | ROUTER_HOST        default 127.0.0.1
 *   CLINIGRAPH_PORT_BASE                     the stack's ports: router = base, accounts = base + 1 … notifications = base + 7
 * Where the subgraphs are (subgraphUrlOverrides); a subgraph nothing below places keeps the URL in the supergraph:
 *   SUBGRAPH_URLS                            "name=url,name=url": those subgraphs of whatever supergraph is served, always
 *                                            (http:// or https:// URLs); it wins over the per-service variables below
 *   ACCOUNTS_URL, DOCTORS_URL, SCHEDULING_URL, CLINICAL_URL, BILLING_URL, ANALYTICS_URL, NOTIFICATIONS_URL
 *                                            the stack's own services: default http://127.0.0.1:<its port>/graphql, its port from
 *                                            CLINIGRAPH_PORT_BASE or <SERVICE>_PORT. They place subgraphs only while the router
 *                                            serves the project's own supergraph (the default path): with another one
 *                                            (--supergraph, SUPERGRAPH_PATH) they are ignored, so an ambient ACCOUNTS_URL cannot
 *                                            reroute another supergraph's "accounts" — use SUBGRAPH_URLS there
 *   ACCOUNTS_JWKS_URL                        default /.well-known/jwks.json beside the accounts URL (ACCOUNTS_URL, whatever the
 *                                            supergraph: the router's own sign-in service)
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
 *   TLS_CERT_FILE, TLS_KEY_FILE              PEM certificate (chain) and private key: the router serves HTTPS and WSS itself
 *                                            (without an Ingress in front); both or neither, read at start, refused when
 *                                            unreadable or not a matching pair
 *   HSTS_MAX_AGE                             with TLS: Strict-Transport-Security max-age in seconds, default 31536000 (0: none)
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
 *   QUERY_MAX_DEPTH, QUERY_MAX_ALIASES, QUERY_MAX_COST, QUERY_MAX_DIRECTIVES, QUERY_MAX_TOKENS
 *                                            hostile-input limits of every operation (limits.ts), integers ≥ 1, defaults
 *                                            DEFAULT_LIMITS: depth 12, aliases 15, cost 5000, directives 50, tokens 2000
 * Execution (docs/adr/0021):
 *   ROUTER_EXECUTOR=router|apollo            who runs query plans: the router's own executor (default) or @apollo/gateway's
 *   SUBGRAPH_DEDUPE=on|off                   identical concurrent subgraph queries of one caller share a request, default on
 *   ROUTER_WORKERS                           router processes sharing the port (node:cluster, cluster.ts), default 1; more
 *                                            spread clients over the machine's cores (edge state is per process unless REDIS_URL)
 *   ROUTER_HEAP_GROWING_PERCENT              V8 lets the heap grow to (1 + p/100) × the live heap before a full collection,
 *                                            default 100 (main.ts); 0 leaves V8's own heuristic (up to 4× the live heap)
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { createSecureContext } from "node:tls";
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
import { DEFAULT_LIMITS, type QueryLimits } from "./limits.js";
import { envKeyOf } from "./supergraph.js";

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
  heapGrowingPercent: 100,
  /** The project's own supergraph (`pnpm compose`): the stack's per-service variables place its subgraphs. */
  supergraphPath: path.join(REPO_ROOT, "schema", "supergraph.graphql"),
  /** `pnpm web:build` builds GraphiQL here (apps/web/vite.graphiql.config.ts). */
  graphiqlDir: path.join(REPO_ROOT, "apps", "web", "dist-graphiql"),
} as const;

export interface RouterConfig {
  port: number;
  host: string;
  supergraphPath: string;
  jwksUrl: string;
  routerSecrets: string[];
  /** Subgraph URLs the environment sets, keyed by subgraph name (the others keep the supergraph's URL): subgraphUrlOverrides. */
  subgraphUrls: Record<string, string>;
  /** Depth, alias, cost, directive and token limits of every operation (QUERY_MAX_*; defaults DEFAULT_LIMITS). */
  limits: QueryLimits;
  /** ROUTER_EXECUTOR: the router's own plan executor or @apollo/gateway's. */
  executor: "router" | "apollo";
  /** SUBGRAPH_DEDUPE: identical concurrent subgraph queries of one caller share a request. */
  dedupeSubgraphRequests: boolean;
  /** ROUTER_HEAP_GROWING_PERCENT: applied by main.ts (0: V8's default). */
  heapGrowingPercent: number;
  /** ROUTER_WORKERS: router processes on the one port (main.ts forks them with node:cluster when more than 1). */
  workers: number;
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
  /** TLS_CERT_FILE and TLS_KEY_FILE, read: the router serves HTTPS and WSS (undefined: plain HTTP). */
  tls?: RouterTls;
}

/** The router's own TLS: PEM certificate (chain) and key, and the HSTS max-age its answers carry (0: none). */
export interface RouterTls {
  cert: Buffer;
  key: Buffer;
  hstsMaxAgeSeconds: number;
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
      SUPERGRAPH_PATH: v.string(ROUTER_DEFAULTS.supergraphPath),
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
      QUERY_MAX_DEPTH: v.int(DEFAULT_LIMITS.maxDepth, { min: 1 }),
      QUERY_MAX_ALIASES: v.int(DEFAULT_LIMITS.maxAliases, { min: 1 }),
      QUERY_MAX_COST: v.int(DEFAULT_LIMITS.maxCost, { min: 1 }),
      QUERY_MAX_DIRECTIVES: v.int(DEFAULT_LIMITS.maxDirectives, { min: 1 }),
      QUERY_MAX_TOKENS: v.int(DEFAULT_LIMITS.maxTokens, { min: 1 }),
      ROUTER_EXECUTOR: v.oneOf(["router", "apollo"] as const, "router"),
      SUBGRAPH_DEDUPE: v.oneOf(["on", "off"] as const, "on"),
      ROUTER_HEAP_GROWING_PERCENT: v.int(ROUTER_DEFAULTS.heapGrowingPercent, { min: 0, max: 1_000 }),
      ROUTER_WORKERS: v.int(1, { min: 1, max: 64 }),
      TLS_CERT_FILE: v.optional(),
      TLS_KEY_FILE: v.optional(),
      HSTS_MAX_AGE: v.int(31_536_000, { min: 0 }),
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
  const supergraphPath = path.resolve(flags.supergraph ?? vars.SUPERGRAPH_PATH);
  const tls = readTls(vars.TLS_CERT_FILE, vars.TLS_KEY_FILE, vars.HSTS_MAX_AGE);

  return {
    port,
    host: flags.host ?? vars.ROUTER_HOST,
    supergraphPath,
    jwksUrl: vars.ACCOUNTS_JWKS_URL,
    routerSecrets,
    subgraphUrls: subgraphUrlOverrides(env, supergraphPath),
    limits: {
      maxDepth: vars.QUERY_MAX_DEPTH,
      maxAliases: vars.QUERY_MAX_ALIASES,
      maxCost: vars.QUERY_MAX_COST,
      maxDirectives: vars.QUERY_MAX_DIRECTIVES,
      maxTokens: vars.QUERY_MAX_TOKENS,
    },
    executor: vars.ROUTER_EXECUTOR,
    dedupeSubgraphRequests: vars.SUBGRAPH_DEDUPE === "on",
    heapGrowingPercent: vars.ROUTER_HEAP_GROWING_PERCENT,
    workers: vars.ROUTER_WORKERS,
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
    ...(tls ? { tls } : {}),
  };
}

/**
 * TLS_CERT_FILE and TLS_KEY_FILE: both or neither. Both files are read now, and must make a certificate and its
 * private key: a router that cannot serve TLS refuses to start rather than fail at the first connection.
 */
function readTls(certFile: string | undefined, keyFile: string | undefined, hstsMaxAgeSeconds: number): RouterTls | undefined {
  if (certFile === undefined && keyFile === undefined) return undefined;
  configCheck(
    certFile !== undefined && keyFile !== undefined,
    `TLS needs both TLS_CERT_FILE and TLS_KEY_FILE (only ${certFile !== undefined ? "TLS_CERT_FILE" : "TLS_KEY_FILE"} is set)`,
  );
  const read = (name: string, file: string) => {
    try {
      return readFileSync(file);
    } catch (err) {
      throw new ConfigError(`${name} cannot be read: ${file} (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
    }
  };
  const cert = read("TLS_CERT_FILE", certFile!);
  const key = read("TLS_KEY_FILE", keyFile!);
  try {
    createSecureContext({ cert, key });
  } catch (err) {
    throw new ConfigError(`TLS_CERT_FILE and TLS_KEY_FILE are not a PEM certificate and its private key (${(err as Error).message})`);
  }
  return { cert, key, hstsMaxAgeSeconds };
}

/**
 * Where the environment places subgraphs of the supergraph at `supergraphPath` (default: the project's own):
 *  - SUBGRAPH_URLS ("name=url,name=url"), whatever the supergraph;
 *  - the stack's services (`serviceUrl`: `<SERVICE>_URL`, else 127.0.0.1 on the port that CLINIGRAPH_PORT_BASE or
 *    `<SERVICE>_PORT` gives it), each one those variables are set for — only for the project's own supergraph, whose
 *    subgraphs those services are; another supergraph's subgraph may share a name without being that service.
 * SUBGRAPH_URLS wins for a subgraph both name. Other `*_URL` variables are not subgraphs.
 */
export function subgraphUrlOverrides(env: Env, supergraphPath: string = ROUTER_DEFAULTS.supergraphPath): Record<string, string> {
  const explicit = explicitSubgraphUrls(env);
  const overrides: Record<string, string> = {};
  if (path.resolve(supergraphPath) === ROUTER_DEFAULTS.supergraphPath) {
    const isSet = (name: string) => env[name] !== undefined && env[name] !== "";
    const named = new Set(Object.keys(explicit).map(envKeyOf));
    for (const service of SUBGRAPHS) {
      const name = service.toUpperCase();
      if (named.has(envKeyOf(service))) continue;
      if (isSet("CLINIGRAPH_PORT_BASE") || isSet(`${name}_URL`) || isSet(`${name}_PORT`)) overrides[service] = serviceUrl(service, env);
    }
  }
  return { ...overrides, ...explicit };
}

const httpUrl = v.url(HTTP);

/** SUBGRAPH_URLS: "name=url" pairs, comma-separated; each name once (compared as the gateway does, envKeyOf). */
function explicitSubgraphUrls(env: Env): Record<string, string> {
  const { SUBGRAPH_URLS } = readEnv({ SUBGRAPH_URLS: v.list([]) }, env);
  const urls: Record<string, string> = {};
  const seen = new Set<string>();
  for (const entry of SUBGRAPH_URLS) {
    const at = entry.indexOf("=");
    const name = at > 0 ? entry.slice(0, at).trim() : "";
    const url = at > 0 ? entry.slice(at + 1).trim() : "";
    configCheck(
      name !== "" && httpUrl.safeParse(url).success,
      `SUBGRAPH_URLS must list name=url pairs, comma-separated, each URL http:// or https:// (got "${entry}")`,
    );
    configCheck(!seen.has(envKeyOf(name)), `SUBGRAPH_URLS names the subgraph "${name}" twice`);
    seen.add(envKeyOf(name));
    urls[name] = url;
  }
  return urls;
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
