/**
 * The router's edge against hostile or runaway traffic, in front of Apollo Server: persisted
 * operations (APQ or a safelist), per-caller rate limits, the client address (clientAddress.ts: the
 * peer, or X-Forwarded-For from trusted proxies only), and a total deadline per HTTP request.
 * Everything here answers before a query is planned, so a refused operation never reaches a subgraph.
 * GraphQL Armor's depth/cost limits (limits.ts) and CORS/CSRF live next to it in server.ts.
 */
import type { IncomingMessage, ServerOptions } from "node:http";
import type { PersistedQueryOptions, HTTPGraphQLRequest } from "@apollo/server";
import type { GraphQLError } from "graphql";
import { Counter, type Registry } from "prom-client";
import type { Logger } from "@clinigraph/platform";
import { NOT_IN_SAFELIST, notInSafelist, rateLimited } from "./edgeErrors.js";
import { closeEdgeRedis, connectEdgeRedis, redisKeyValueCache, type EdgeRedis } from "./edgeStore.js";
import { Safelist, loadManifest, persistedQueryRefusal, resolveSafelisted, type PersistedQueryManifest, type PersistedQueryMode } from "./persistedQueries.js";
import { createRateLimiter, type RateLimitCaller, type RateLimitOptions } from "./rateLimit.js";
import { clientAddressResolver } from "./clientAddress.js";
import { ROUTER_DEFAULTS } from "./config.js";

export interface PersistedQuerySettings {
  /** Default `apq`. */
  mode?: PersistedQueryMode;
  /** Safelist mode: the manifest file (or `manifest` itself). */
  manifestPath?: string;
  manifest?: PersistedQueryManifest;
  /** How long a registered APQ query is kept in Redis, seconds (default ROUTER_DEFAULTS: one day). */
  ttlSeconds?: number;
}

export interface EdgeOptions {
  persistedQueries?: PersistedQuerySettings;
  /** Per-caller limits; off when absent or false. */
  rateLimit?: RateLimitOptions | false;
  /** Total time for one HTTP GraphQL request, milliseconds (default ROUTER_DEFAULTS: 15 s). */
  requestTimeoutMs?: number;
  /** Rate-limit counters and the APQ cache go to Redis when set, else stay in this process. */
  redisUrl?: string;
  /** Prefix of the router's Redis keys (tests isolate themselves with it). */
  redisNamespace?: string;
  /** Slow clients (slowloris): time to send the request headers (default ROUTER_DEFAULTS: 10 s)… */
  headersTimeoutMs?: number;
  /** …and the whole request, body included (default 30 s); past either, Node answers 408 and closes. */
  httpRequestTimeoutMs?: number;
  /**
   * Proxies (addresses, CIDRs, or `loopback`/`linklocal`/`uniquelocal`) whose X-Forwarded-For is believed;
   * none by default: the client address is then the TCP peer and the header is ignored.
   */
  trustedProxies?: readonly string[];
}

export interface Prepared {
  request: HTTPGraphQLRequest;
  refusal?: GraphQLError;
}

export interface Edge {
  /** Apollo Server's `persistedQueries` option. */
  apolloPersistedQueries: PersistedQueryOptions | false;
  requestTimeoutMs: number;
  /** The caller's address, for rate limits and sign-in throttling (undefined when the socket is gone). */
  clientAddress(req: IncomingMessage): string | undefined;
  /**
   * Safelist mode: resolves a listed operation (by id or body) or says why it is refused. APQ mode: refuses a
   * persisted-query extension of another version, or whose hash is not the query's.
   */
  prepare(request: HTTPGraphQLRequest): Prepared;
  /**
   * Counts one operation of the caller and throws RATE_LIMITED (HTTP 429 + Retry-After) over the limit,
   * else throws `refusal` (from `prepare`) if there is one.
   */
  admit(caller: RateLimitCaller, refusal?: GraphQLError): Promise<void>;
  /** The same checks for a graphql-ws subscribe message; errors to answer it with, if refused. */
  admitSubscription(caller: RateLimitCaller, payload: { query?: string }): Promise<GraphQLError[] | undefined>;
  /** Counts a request answered with GATEWAY_TIMEOUT. */
  timedOut(): void;
  close(): Promise<void>;
}

/** `http.createServer` options: header and request timeouts, checked often enough to matter. */
export function httpServerOptions(options: EdgeOptions): ServerOptions {
  const headersTimeout = options.headersTimeoutMs ?? ROUTER_DEFAULTS.headersTimeoutMs;
  const requestTimeout = options.httpRequestTimeoutMs ?? ROUTER_DEFAULTS.httpRequestTimeoutMs;
  if (headersTimeout > requestTimeout) throw new Error(`headersTimeoutMs (${headersTimeout}) must not exceed httpRequestTimeoutMs (${requestTimeout})`);
  // Node checks these timers every connectionsCheckingInterval (30 s by default): far too coarse for a 10 s limit.
  const connectionsCheckingInterval = Math.max(50, Math.min(1_000, Math.floor(headersTimeout / 4)));
  return { headersTimeout, requestTimeout, connectionsCheckingInterval };
}

export async function createEdge(options: EdgeOptions, logger: Logger, registry: Registry): Promise<Edge> {
  const mode = options.persistedQueries?.mode ?? "apq";
  const clientAddress = clientAddressResolver(options.trustedProxies); // first: a bad list fails before Redis connects
  const namespace = `${options.redisNamespace ?? ""}clinigraph:router:`;
  const safelist = mode === "safelist" ? await loadSafelist(options.persistedQueries ?? {}) : undefined;
  const needsRedis = options.redisUrl !== undefined && (mode === "apq" || !!options.rateLimit);
  const redis: EdgeRedis | undefined = needsRedis ? await connectEdgeRedis(options.redisUrl!, logger) : undefined;
  const limiter = options.rateLimit ? createRateLimiter(options.rateLimit, redis && { redis, keyPrefix: `${namespace}ratelimit:` }) : undefined;
  const refusals = new Counter({
    name: "clinigraph_router_edge_refusals_total",
    help: "Operations the router's edge answered itself: not in the safelist, rate limited, timed out",
    labelNames: ["reason"] as const,
    registers: [registry],
  });
  if (safelist) logger.info({ operations: safelist.size }, "persisted queries: safelist mode");

  const apolloPersistedQueries: PersistedQueryOptions | false =
    mode !== "apq"
      ? false // safelist mode resolves ids itself (prepare), and nothing may register new operations
      : redis
        ? { cache: redisKeyValueCache(redis, `${namespace}apq:`, logger), ttl: options.persistedQueries?.ttlSeconds ?? ROUTER_DEFAULTS.apqTtlSeconds }
        : {}; // Apollo Server's bounded in-memory cache

  const overLimit = async (caller: RateLimitCaller) => {
    const retryAfter = await limiter?.consume(caller);
    if (retryAfter !== undefined) refusals.inc({ reason: "rate_limited" });
    return retryAfter;
  };

  return {
    apolloPersistedQueries,
    requestTimeoutMs: options.requestTimeoutMs ?? ROUTER_DEFAULTS.requestTimeoutMs,
    clientAddress,
    prepare(request) {
      if (mode === "apq") {
        const refusal = persistedQueryRefusal(request);
        return refusal ? { request, refusal } : { request };
      }
      if (!safelist) return { request };
      const resolved = resolveSafelisted(safelist, request);
      return "error" in resolved ? { request, refusal: resolved.error } : { request: resolved.request };
    },
    async admit(caller, refusal) {
      const retryAfter = await overLimit(caller);
      if (retryAfter !== undefined) throw rateLimited(retryAfter);
      if (refusal) {
        refusals.inc({ reason: refusal.extensions.code === NOT_IN_SAFELIST ? "not_in_safelist" : "bad_persisted_query" });
        throw refusal;
      }
    },
    async admitSubscription(caller, payload) {
      const retryAfter = await overLimit(caller);
      if (retryAfter !== undefined) return [rateLimited(retryAfter, "ws")];
      if (safelist && !(payload.query && safelist.byBody(payload.query))) {
        refusals.inc({ reason: "not_in_safelist" });
        return [notInSafelist("ws")];
      }
      return undefined;
    },
    timedOut: () => refusals.inc({ reason: "timeout" }),
    async close() {
      if (redis) await closeEdgeRedis(redis);
    },
  };
}

async function loadSafelist(settings: PersistedQuerySettings): Promise<Safelist> {
  const manifest = settings.manifest ?? (settings.manifestPath ? await loadManifest(settings.manifestPath) : undefined);
  if (!manifest) throw new Error("Persisted query safelist mode needs a manifest (PERSISTED_QUERY_MANIFEST)");
  return new Safelist(manifest);
}
