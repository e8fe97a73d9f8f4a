/**
 * Builds the router's HTTP server: express 5 + Apollo Server 5 over an ApolloGateway, with caller
 * authentication (accounts' JWKS), identity forwarding, masked errors, request ids, `/health`,
 * `/ready` and `/metrics`. Like `createSubgraphServer`, the factory never listens; `listen` does,
 * on any port (0 in tests).
 */
import http from "node:http";
import https from "node:https";
import express, { type Express } from "express";
import cors from "cors";
import { ApolloServer, type ApolloServerPlugin } from "@apollo/server";
import { GraphQLError } from "graphql";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import { ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import { ApolloServerPluginLandingPageProductionDefault } from "@apollo/server/plugin/landingPage/default";
import { TRACING_OFF, createLogger, inputEchoPlugin, listenHttp, type Identity, type Logger, type RunningServer, type Tracing } from "@clinigraph/platform";
import { createAuthenticator } from "./auth.js";
import { createSessionChecker } from "./sessions.js";
import type { RouterContext } from "./context.js";
import { createRouterErrorFormatter } from "./errors.js";
import { createSubgraphFetcher } from "./fetcher.js";
import { createGateway } from "./gateway.js";
import { AuthorizationState } from "./authz/gateway.js";
import { createPolicies, type PolicyOptions } from "./authz/policies.js";
import { httpErrorHandler } from "./httpErrors.js";
import { createReadinessCheck, mountHealthRoutes } from "./health.js";
import { requestLogPlugin } from "./logging.js";
import { clusterMetricsSource } from "./cluster.js";
import { createMetrics, metricsPlugin } from "./metrics.js";
import { isLoopbackHost, metricsAccess } from "./metricsAccess.js";
import { requestIdFrom, requestIdMiddleware } from "./requestId.js";
import type { SupergraphSource } from "./supergraphSource.js";
import { SubscriptionPlanner } from "./subscriptions/planner.js";
import { createArmor, type QueryLimits } from "./limits.js";
import { operationGuardPlugin } from "./operationGuard.js";
import { EmptyAbstractTypeSelections } from "./validation/emptyAbstractTypes.js";
import { startSubscriptionServer } from "./subscriptions/wsServer.js";
import { createEdge, httpServerOptions, type EdgeOptions } from "./edge.js";
import { withEdgeErrors } from "./edgeErrors.js";
import { graphqlHandler } from "./graphqlHandler.js";
import { ROUTER_DEFAULTS, type RouterTls } from "./config.js";
import { mountGraphiql } from "./graphiql.js";

/** Edge options (edge.ts): persisted queries / safelist, rate limits, request and header timeouts, Redis. */
export interface RouterOptions extends EdgeOptions {
  /** A supergraph SDL (served as is) or a file path (watched and hot-reloaded). */
  supergraph: SupergraphSource;
  /** Accounts' JWKS, e.g. http://127.0.0.1:4001/.well-known/jwks.json */
  jwksUrl: string;
  /** Shared with the subgraphs; the first signs the identity header. */
  routerSecrets: readonly string[];
  /** Subgraph URL overrides by subgraph name (else the URL in the supergraph). */
  subgraphUrls?: Readonly<Record<string, string>>;
  logger?: Logger;
  /** Show internal error messages and stack traces (development only). */
  exposeInternalErrors?: boolean;
  /** Timeout of one subgraph request, milliseconds (default: the request's own timeout). */
  subgraphTimeoutMs?: number;
  /** graphql-ws ping interval towards clients and subgraphs, milliseconds (default 12 000). */
  keepAliveMs?: number;
  /** Depth, alias, cost, directive and token limits (defaults in limits.ts). */
  limits?: Partial<QueryLimits>;
  /** Browser origins allowed to call the router (CORS); none by default. */
  corsOrigins?: readonly string[];
  /** Schema introspection; default off (the configuration turns it on unless NODE_ENV=production). */
  introspection?: boolean;
  /**
   * GraphiQL on GET /graphql for browsers, assets under /graphiql/ (graphiql.ts); default off (the configuration
   * turns it on unless NODE_ENV=production). Off, a browser gets Apollo Server's production landing page, as ever.
   */
  graphiql?: boolean;
  /** Where GraphiQL's build is; default ROUTER_DEFAULTS (apps/web/dist-graphiql). */
  graphiqlDir?: string;
  /** Bearer token `/metrics` requires; without one, `/metrics` is served only on a loopback listener (metricsAccess.ts). */
  metricsToken?: string;
  /**
   * A worker of several router processes (cluster.ts): `/metrics` answers the sum over every worker, asked of the
   * cluster's primary. Default false: this process's own.
   */
  clusterMetrics?: boolean;
  /** Which executor runs query plans (gateway.ts): the router's own (default) or @apollo/gateway's. */
  executor?: "router" | "apollo";
  /** Identical concurrent subgraph queries of one caller share one request (default true). */
  dedupeSubgraphRequests?: boolean;
  /** Options of the router's `@policy` rules (e.g. the `recent_login` window). */
  policies?: Partial<PolicyOptions>;
  /**
   * Ended sessions (sign-out, password change) are refused at once (sessions.ts): accounts' session status URL,
   * how long an "open" answer is cached, and how often open WebSockets re-check their session. Without it, an
   * access token is valid until it expires.
   */
  sessions?: { url: string; cacheMs?: number; recheckMs?: number };
  /**
   * The router's tracing (platform `createTracing("router", env)`): each GraphQL request is a server span, each
   * subgraph call a client span carrying `traceparent`. The router shuts it down when it stops. Default off.
   */
  tracing?: Tracing;
  /**
   * Serve HTTPS and WSS with this certificate and key (a deployment without a TLS-ending proxy in front); answers then
   * carry Strict-Transport-Security. Without it, plain HTTP.
   */
  tls?: RouterTls;
}

export interface Router {
  app: Express;
  httpServer: http.Server;
  listen(port: number, host?: string): Promise<RunningServer>;
  stop(): Promise<void>;
}

export async function createRouter(options: RouterOptions): Promise<Router> {
  if (options.routerSecrets.length === 0) throw new Error("createRouter: routerSecrets must hold at least one secret");
  const logger = options.logger ?? createLogger("router");
  const app = express();
  app.disable("x-powered-by");
  const { tls } = options;
  // HTTPS is Node's HTTP server over TLS: the same request handling, timeouts, WebSocket upgrades (WSS) and drain.
  const httpServer: http.Server = tls
    ? https.createServer({ ...httpServerOptions(options), cert: tls.cert, key: tls.key }, app)
    : http.createServer(httpServerOptions(options), app);
  if (tls && tls.hstsMaxAgeSeconds > 0) {
    const hsts = `max-age=${tls.hstsMaxAgeSeconds}`;
    app.use((_req, res, next) => {
      res.setHeader("Strict-Transport-Security", hsts);
      next();
    });
  }

  const tracing = options.tracing ?? TRACING_OFF;
  const fetcher = createSubgraphFetcher({ timeoutMs: options.subgraphTimeoutMs ?? options.requestTimeoutMs ?? ROUTER_DEFAULTS.requestTimeoutMs, tracing });
  const metrics = createMetrics();
  const planner = new SubscriptionPlanner();
  const authorization = new AuthorizationState(createPolicies(options.policies), logger);
  const { authorized, subgraphs, dataSources, inflight } = createGateway({
    authorization,
    onSubgraphRequest: metrics.subgraphRequest,
    onSupergraph: (supergraph) => planner.update(supergraph),
    source: options.supergraph,
    routerSecrets: options.routerSecrets,
    subgraphUrls: options.subgraphUrls ?? {},
    fetcher,
    executor: options.executor,
    dedupeSubgraphRequests: options.dedupeSubgraphRequests,
    onPlan: metrics.plan,
    logger,
  });
  const readiness = createReadinessCheck({ subgraphs });
  const sessions = options.sessions
    ? createSessionChecker({ url: options.sessions.url, cacheMs: options.sessions.cacheMs, routerSecrets: options.routerSecrets, logger })
    : undefined;
  const authenticate = createAuthenticator({ jwksUrl: options.jwksUrl, sessions });

  const armor = createArmor(options.limits);
  // Fields under an interface no object type implements that no plan can reach: refused, not silently null.
  const emptyAbstractTypes = new EmptyAbstractTypeSelections(logger);
  authorized.onSchemaLoadOrUpdate(emptyAbstractTypes.update);
  const validationRules = [...armor.validationRules, emptyAbstractTypes.rule];
  const edge = await createEdge(options, logger, metrics.registry);
  const apollo = new ApolloServer<RouterContext>({
    gateway: authorized,
    validationRules,
    parseOptions: armor.parseOptions,
    allowBatchedHttpRequests: false,
    persistedQueries: edge.apolloPersistedQueries,
    introspection: options.introspection ?? false,
    // Apollo's CSRF prevention (on by default) refuses simple browser requests without a preflight.
    csrfPrevention: true,
    formatError: withEdgeErrors(createRouterErrorFormatter(logger, { exposeInternal: options.exposeInternalErrors })),
    includeStacktraceInErrorResponses: options.exposeInternalErrors ?? false,
    // The process owns SIGINT/SIGTERM (main.ts, pnpm start): Apollo's own handlers would race our stop().
    stopOnTerminationSignals: false,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      // Never Apollo's Sandbox (loaded from a CDN): our own GraphiQL answers browsers, or the production landing page.
      options.graphiql ? ApolloServerPluginLandingPageDisabled() : ApolloServerPluginLandingPageProductionDefault(),
      ...(armor.plugins as unknown as ApolloServerPlugin<RouterContext>[]),
      metricsPlugin(metrics),
      requestLogPlugin(),
      // graphql-js echoes invalid variable values in its messages: no caller input leaves in an error.
      inputEchoPlugin<RouterContext>(),
      // Unknown or ambiguous operation names and subscriptions over HTTP: 400, not the gateway's 500.
      operationGuardPlugin<RouterContext>(),
    ],
  });
  await apollo.start();

  app.use(requestIdMiddleware);
  mountHealthRoutes(app, readiness);
  let listeningOn: string | undefined;
  const metricsText = options.clusterMetrics ? clusterMetricsSource(metrics.registry) : () => metrics.registry.metrics();
  app.get(
    "/metrics",
    metricsAccess(options.metricsToken, () => listeningOn),
    async (_req, res, next) => {
      try {
        const text = await metricsText();
        res.setHeader("content-type", metrics.registry.contentType);
        res.send(text);
      } catch (err) {
        next(err);
      }
    },
  );
  if (options.graphiql) mountGraphiql(app, options.graphiqlDir ?? ROUTER_DEFAULTS.graphiqlDir, logger);
  app.use(
    "/graphql",
    cors({ origin: [...(options.corsOrigins ?? [])], credentials: false, maxAge: 600 }),
    express.json({ limit: "1mb" }),
    graphqlHandler(apollo, edge, tracing, async (req, res, refusal) => {
      const requestId = requestIdFrom(res);
      const requestLogger = logger.child({ requestId });
      const clientIp = edge.clientAddress(req); // X-Forwarded-For only from TRUSTED_PROXIES
      let identity: Identity;
      try {
        identity = await authenticate(req.headers.authorization, requestId);
      } catch (err) {
        requestLogger.warn({ code: err instanceof GraphQLError ? err.extensions.code : undefined }, "request refused: authentication failed");
        await edge.admit({ clientIp }); // bad tokens count against the client address
        throw err;
      }
      // Rate limit, then the safelist's verdict: before parsing and planning, so before any subgraph.
      await edge.admit({ userId: identity.userId, clientIp }, refusal);
      return { identity: clientIp ? { ...identity, clientIp } : identity, logger: requestLogger };
    }),
  );
  app.use(httpErrorHandler(logger));

  const subscriptions = startSubscriptionServer({
    httpServer,
    planner,
    authenticate,
    routerSecrets: options.routerSecrets,
    logger,
    dataSources,
    subgraphUrl: (name) => subgraphs().find((s) => s.name === name)?.url,
    keepAliveMs: options.keepAliveMs,
    // A client that hears of a change on its feed and reads again must not get a shared answer sent before it.
    onUpstreamEvent: inflight ? () => inflight.changed() : undefined,
    validationRules,
    parseOptions: armor.parseOptions,
    authorization,
    sessions: sessions ? { checker: sessions, recheckMs: options.sessions?.recheckMs } : undefined,
    admitSubscription: (identity, payload) => edge.admitSubscription({ userId: identity.userId }, payload),
  });
  metrics.observeSubscriptions(() => ({
    connections: subscriptions.connections(),
    upstreams: subscriptions.upstreams.size,
    upstreamConnections: subscriptions.upstreams.connections,
  }));

  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      await subscriptions.close();
      await apollo.stop(); // drains the HTTP server and stops the gateway (closes the supergraph watcher)
      if (httpServer.listening) await new Promise<void>((resolve) => httpServer.close(() => resolve()));
      await Promise.all([fetcher.close(), readiness.close(), edge.close(), sessions?.close()]);
      await tracing.shutdown();
    })());

  return {
    app,
    httpServer,
    async listen(port, host = "127.0.0.1") {
      const actual = await listenHttp(httpServer, port, host);
      listeningOn = host;
      logger.info({ port: actual, host }, "router listening");
      if (!options.metricsToken && !isLoopbackHost(host)) logger.warn({ host }, "/metrics is off on a non-loopback listener: set METRICS_TOKEN to serve it");
      return { url: `${tls ? "https" : "http"}://${host}:${actual}/graphql`, port: actual, httpServer, close: stop };
    },
    stop,
  };
}
