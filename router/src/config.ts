/**
 * Router configuration from the environment (and optional command-line flags), validated once at
 * boot; a missing or malformed variable fails fast with a message that names it.
 *
 *   --supergraph <file> | SUPERGRAPH_PATH   default <repo>/schema/supergraph.graphql
 *   --port <n>          | ROUTER_PORT        default 4000
 *   --host <h>          | ROUTER_HOST        default 127.0.0.1
 *   ACCOUNTS_JWKS_URL                        default http://127.0.0.1:4001/.well-known/jwks.json
 *   CLINIGRAPH_ROUTER_SECRETS                required, comma-separated (first signs, all verify)
 *   <NAME>_URL                               subgraph URL override, e.g. ACCOUNTS_URL, DOCTORS_URL
 *   SUBGRAPH_TIMEOUT_MS                      default REQUEST_TIMEOUT_MS (a subgraph call is useless past the deadline)
 *   NODE_ENV=development                     exposes internal error messages and stack traces
 *   CORS_ORIGINS                             comma-separated browser origins
 *   RECENT_LOGIN_SECONDS                     @policy recent_login: privileged actions within this long of signing in, default 3600
 *   NODE_ENV=production                      turns schema introspection off (on otherwise, e.g. under `pnpm start`)
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
import { ConfigError, DEFAULT_PORTS, REPO_ROOT, envInt, envList, envOptional, envString, isDevelopment } from "@clinigraph/platform";
import { PERSISTED_QUERY_MODES, type PersistedQueryMode } from "./persistedQueries.js";
import type { RateLimitOptions } from "./rateLimit.js";
import { compileTrustedProxies } from "./clientAddress.js";

type Env = Record<string, string | undefined>;

export interface RouterConfig {
  port: number;
  host: string;
  supergraphPath: string;
  jwksUrl: string;
  routerSecrets: string[];
  /** Subgraph URL overrides keyed by lower-case subgraph name (from `<NAME>_URL`). */
  subgraphUrls: Record<string, string>;
  subgraphTimeoutMs: number;
  exposeInternalErrors: boolean;
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
  /** METRICS_TOKEN: bearer token /metrics requires (metricsAccess.ts). */
  metricsToken?: string;
  /** Ended sessions refused at once (sessions.ts). */
  sessions: { url: string; cacheMs: number; recheckMs: number };
}

/** Variables ending in `_URL` that are not subgraph overrides. */
const NOT_SUBGRAPHS = new Set(["ACCOUNTS_JWKS_URL", "ACCOUNTS_SESSIONS_URL"]);

export function loadRouterConfig(env: Env = process.env, argv: readonly string[] = []): RouterConfig {
  const flags = parseFlags(argv);
  const portFlag = flags.port;
  if (portFlag !== undefined && !/^\d+$/.test(portFlag)) throw new ConfigError(`--port must be an integer, got "${portFlag}"`);
  const port = portFlag !== undefined ? Number(portFlag) : envInt("ROUTER_PORT", DEFAULT_PORTS.router, env);
  if (port < 0 || port > 65535) throw new ConfigError(`Router port must be between 0 and 65535, got ${port}`);
  const jwksUrl = envString("ACCOUNTS_JWKS_URL", `http://127.0.0.1:${DEFAULT_PORTS.accounts}/.well-known/jwks.json`, env);
  assertHttpUrl("ACCOUNTS_JWKS_URL", jwksUrl);
  const routerSecrets = envList("CLINIGRAPH_ROUTER_SECRETS", undefined, env);
  if (routerSecrets.length === 0) throw new ConfigError("CLINIGRAPH_ROUTER_SECRETS holds no secret");
  if (routerSecrets.some((s) => s.length < 32)) throw new ConfigError("CLINIGRAPH_ROUTER_SECRETS: every secret must be at least 32 characters");
  const requestTimeoutMs = positiveInt("REQUEST_TIMEOUT_MS", 15_000, env);
  const headersTimeoutMs = positiveInt("HTTP_HEADERS_TIMEOUT_MS", 10_000, env);
  const httpRequestTimeoutMs = positiveInt("HTTP_REQUEST_TIMEOUT_MS", 30_000, env);
  if (headersTimeoutMs > httpRequestTimeoutMs) throw new ConfigError("HTTP_HEADERS_TIMEOUT_MS must not exceed HTTP_REQUEST_TIMEOUT_MS");
  return {
    port,
    host: flags.host ?? envString("ROUTER_HOST", "127.0.0.1", env),
    supergraphPath: path.resolve(flags.supergraph ?? envString("SUPERGRAPH_PATH", path.join(REPO_ROOT, "schema", "supergraph.graphql"), env)),
    jwksUrl,
    routerSecrets,
    subgraphUrls: subgraphUrlOverrides(env),
    subgraphTimeoutMs: positiveInt("SUBGRAPH_TIMEOUT_MS", requestTimeoutMs, env),
    exposeInternalErrors: isDevelopment(env),
    corsOrigins: envList("CORS_ORIGINS", [], env),
    persistedQueries: persistedQueryConfig(env),
    rateLimit: rateLimitConfig(env),
    requestTimeoutMs,
    headersTimeoutMs,
    httpRequestTimeoutMs,
    redisUrl: envOptional("REDIS_URL", env),
    redisNamespace: env.EVENTS_NAMESPACE ?? "",
    trustedProxies: trustedProxiesConfig(env),
    policies: { recentLoginSeconds: positiveInt("RECENT_LOGIN_SECONDS", 3_600, env) },
    introspection: env.NODE_ENV !== "production",
    metricsToken: metricsTokenConfig(env),
    sessions: sessionConfig(env, jwksUrl),
  };
}

function sessionConfig(env: Env, jwksUrl: string): RouterConfig["sessions"] {
  const url = envString("ACCOUNTS_SESSIONS_URL", new URL("/internal/sessions", jwksUrl).href, env);
  assertHttpUrl("ACCOUNTS_SESSIONS_URL", url);
  const cacheMs = envInt("SESSION_CHECK_CACHE_MS", 5_000, env);
  if (cacheMs < 0 || cacheMs > 60_000) throw new ConfigError(`SESSION_CHECK_CACHE_MS must be between 0 and 60000, got ${cacheMs}`);
  return { url, cacheMs, recheckMs: positiveInt("SESSION_RECHECK_MS", 10_000, env) };
}

function trustedProxiesConfig(env: Env): string[] {
  const list = envList("TRUSTED_PROXIES", [], env);
  try {
    compileTrustedProxies(list);
  } catch {
    throw new ConfigError("TRUSTED_PROXIES must list IP addresses or CIDRs (or loopback, linklocal, uniquelocal), comma-separated");
  }
  return list;
}

function metricsTokenConfig(env: Env): string | undefined {
  const token = envOptional("METRICS_TOKEN", env);
  if (token !== undefined && token.length < 32) throw new ConfigError("METRICS_TOKEN must be at least 32 characters");
  return token;
}

function persistedQueryConfig(env: Env): RouterConfig["persistedQueries"] {
  const manifest = envOptional("PERSISTED_QUERY_MANIFEST", env);
  const mode = envString("PERSISTED_QUERIES", manifest ? "safelist" : "apq", env);
  if (!(PERSISTED_QUERY_MODES as readonly string[]).includes(mode)) throw new ConfigError(`PERSISTED_QUERIES must be off, apq or safelist, got "${mode}"`);
  if (mode === "safelist" && !manifest) throw new ConfigError("PERSISTED_QUERIES=safelist needs PERSISTED_QUERY_MANIFEST (a manifest file)");
  return {
    mode: mode as PersistedQueryMode,
    ...(manifest ? { manifestPath: path.resolve(manifest) } : {}),
    ttlSeconds: positiveInt("PERSISTED_QUERY_TTL_SECONDS", 86_400, env),
  };
}

function rateLimitConfig(env: Env): RateLimitOptions | false {
  const perMinute = envInt("RATE_LIMIT_PER_MINUTE", 600, env);
  if (perMinute < 0) throw new ConfigError("RATE_LIMIT_PER_MINUTE must be 0 (off) or more");
  if (perMinute === 0) return false;
  return { perMinute, anonymousPerMinute: positiveInt("RATE_LIMIT_ANONYMOUS_PER_MINUTE", 120, env) };
}

function positiveInt(name: string, fallback: number, env: Env): number {
  const value = envInt(name, fallback, env);
  if (value < 1) throw new ConfigError(`${name} must be a positive integer, got ${value}`);
  return value;
}

/** Every `<NAME>_URL` holding an http(s) URL (DATABASE_URL, REDIS_URL… are not http and are skipped). */
export function subgraphUrlOverrides(env: Env): Record<string, string> {
  const overrides: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    const match = /^([A-Z][A-Z0-9_]*)_URL$/.exec(key);
    if (!match?.[1] || NOT_SUBGRAPHS.has(key) || !value || !/^https?:\/\//.test(value)) continue;
    assertHttpUrl(key, value);
    overrides[match[1].toLowerCase()] = value;
  }
  return overrides;
}

function parseFlags(argv: readonly string[]): Partial<Record<"supergraph" | "port" | "host", string>> {
  const flags: Partial<Record<"supergraph" | "port" | "host", string>> = {};
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

function assertHttpUrl(name: string, value: string) {
  try {
    const url = new URL(value);
    if (url.protocol === "http:" || url.protocol === "https:") return;
  } catch {
    /* fall through */
  }
  throw new ConfigError(`${name} must be an http(s) URL, got "${value}"`);
}
