/**
 * Builds a subgraph's HTTP server: express 5 + Apollo Server 5 + `buildSubgraphSchema`, with
 * - the router's identity token required on every GraphQL request (see identity.ts),
 * - typed errors mapped to `extensions.code`, everything else masked (errors.ts), no caller input echoed
 *   in request errors (inputEcho.ts), no text PostgreSQL cannot store as sent (storableText.ts),
 * - `/health` (process up) and `/ready` (its own dependencies answer),
 * - `/metrics`: Prometheus metrics of the service (metrics.ts, graphqlMetrics.ts; ADR 24), without the router's
 *   identity: they carry counts, durations and the service's own names, no caller data.
 * The factory never listens; `listen` does, on any port (0 in tests).
 */
import http from "node:http";
import express, { type ErrorRequestHandler, type Express, type NextFunction, type Request, type RequestHandler, type Response } from "express";
import { ApolloServer, type ApolloServerPlugin } from "@apollo/server";
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled } from "@apollo/server/plugin/disabled";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import { expressMiddleware } from "@as-integrations/express5";
import { buildSubgraphSchema } from "@apollo/subgraph";
import type { GraphQLResolverMap } from "@apollo/subgraph/dist/schema-helper/index.js";
import { GraphQLError, type DocumentNode, type GraphQLFieldResolver, type GraphQLObjectType, type GraphQLSchema } from "graphql";
import { WebSocketServer } from "ws";
import { useServer } from "graphql-ws/use/ws";
import { DomainError, createErrorFormatter } from "./errors.js";
import { inputEchoPlugin } from "./inputEcho.js";
import { storableTextPlugin } from "./storableText.js";
import { IDENTITY_HEADER, IdentityRejected, verifyIdentitySync, type Identity } from "./identity.js";
import type { Logger } from "./logger.js";
import { isDatabaseBusy } from "./sql.js";
import { listenHttp } from "./listen.js";
import { SpanKind, SpanStatusCode, extractTraceContext, inSpan, type Tracing } from "./tracing.js";
import { context, trace } from "@opentelemetry/api";
import { createServiceMetrics, type ServiceMetrics } from "./metrics.js";
import { graphqlMetricsPlugin } from "./graphqlMetrics.js";
import { recordStaffMutations, type StaffActionOptions } from "./staffActions.js";

export interface BaseContext {
  identity: Identity;
  logger: Logger;
}

export interface SubgraphOptions<TContext extends BaseContext> {
  name: string;
  typeDefs: DocumentNode;
  /** The subgraph's resolver map, typed by its generated `Resolvers` (src/generated/graphql.ts), or a plain map. */
  resolvers: GraphQLResolverMap<TContext> | object;
  routerSecrets: readonly string[];
  logger: Logger;
  /** Builds the per-request context (loaders, repositories) for a verified caller. */
  createContext: (base: BaseContext) => TContext | Promise<TContext>;
  /** Throws when a dependency (database, …) does not answer. */
  checkReady?: () => Promise<void>;
  /** Extra HTTP routes (e.g. a JWKS endpoint), mounted before /graphql. */
  routes?: (app: Express) => void;
  /**
   * Service-to-service endpoints: `POST /internal/<name>`, JSON in and out, behind the router-signed identity
   * like /graphql (401 without it). A DomainError is answered 400 with its code; anything else 500, masked.
   */
  internal?: Record<string, (body: unknown, caller: Identity) => Promise<unknown>>;
  /** Show internal error messages (development only). */
  exposeInternalErrors?: boolean;
  plugins?: ApolloServerPlugin<TContext>[];
  /**
   * Serve the schema's Subscription fields over graphql-ws on /graphql. The router connects with its
   * signed identity token in `connectionParams.identity`; anything else is closed with 4401.
   */
  subscriptions?: { keepAliveMs?: number };
  /**
   * The service's tracing: when on, each GraphQL and internal HTTP request is a server span (child of the caller's
   * `traceparent`), and each root field (`Query.x`, `Mutation.y`, `Query._entities`) a span inside it.
   */
  tracing?: Tracing;
  /**
   * The service's metrics, where its start function also reports its pools, outbox relay and consumers (default: a
   * registry of its own with the GraphQL and process metrics only).
   */
  metrics?: ServiceMetrics;
  /**
   * The staff action log (staffActions.ts): each root mutation a staff member makes successfully is written through
   * `write` (the subgraph's outbox, or accounts' audit log), except the mutations in `skip`.
   */
  staffActions?: StaffActionOptions;
}

export interface RunningServer {
  url: string;
  port: number;
  httpServer: http.Server;
  close(): Promise<void>;
}

/**
 * The background work a started subgraph runs besides its HTTP server, so a launcher or a test can wait until every
 * event it has published has been handled without knowing the workers' names: publish each relay's pending rows,
 * then wait for each consumer to be idle, and repeat until a round publishes nothing.
 */
export interface BackgroundWorkers {
  /** Outbox relays: `publishPending()` publishes one batch and returns how many rows it published. */
  relays: ReadonlyArray<{ publishPending(): Promise<number>; outboxState(): Promise<{ unpublished: number; lastSequence: string }> }>;
  /** Event consumers (and the live bridge): `idle()` resolves once every entry already in their streams is handled. */
  consumers: ReadonlyArray<{ idle(timeoutMs?: number): Promise<void> }>;
}

/** What every `start<Name>(env, options)` returns. */
export interface RunningSubgraph extends RunningServer {
  workers: BackgroundWorkers;
  /**
   * Stops the background work (outbox relay, event consumers, periodic jobs, housekeeping) and leaves the server
   * answering: a launcher stops every subgraph's workers before any server, so no handler in flight calls a neighbour
   * that is already gone. `close()` does it first; calling it again is harmless.
   */
  stopWorkers(): Promise<void>;
}

/** `run` once: every call gets the promise of the first (stopping a relay, ending a pool… must not happen twice). */
export function once<T>(run: () => Promise<T>): () => Promise<T> {
  let result: Promise<T> | undefined;
  return () => (result ??= run());
}

export interface SubgraphServer {
  app: Express;
  httpServer: http.Server;
  /** What `/metrics` serves. */
  metrics: ServiceMetrics;
  listen(port: number, host?: string): Promise<RunningServer>;
  stop(): Promise<void>;
}

export async function createSubgraphServer<TContext extends BaseContext>(options: SubgraphOptions<TContext>): Promise<SubgraphServer> {
  const { logger } = options;
  const app = express();
  app.disable("x-powered-by");
  const httpServer = http.createServer(app);
  const schema = buildSubgraphSchema([{ typeDefs: options.typeDefs, resolvers: options.resolvers as GraphQLResolverMap<unknown> }]);
  const metrics = options.metrics ?? createServiceMetrics(options.name);
  if (options.staffActions) {
    const failures = metrics.counter({
      name: "clinigraph_staff_action_write_failures_total",
      help: "Staff mutations that succeeded but could not be written to the staff action log (the change stands; the log has a gap)",
    });
    recordStaffMutations(schema, { ...options.staffActions, onWriteFailure: () => failures.inc() }, logger);
  }
  const tracing = options.tracing?.enabled ? options.tracing : undefined;
  if (tracing) traceRootFields(schema, tracing);
  // No middleware at all when tracing is off.
  const traced: RequestHandler[] = tracing ? [traceHttp(tracing)] : [];
  const apollo = new ApolloServer<TContext>({
    schema,
    formatError: createErrorFormatter(logger, { exposeInternal: options.exposeInternalErrors }),
    includeStacktraceInErrorResponses: false,
    // The process owns SIGINT/SIGTERM (main.ts, pnpm start): Apollo's own handlers would race our stop().
    stopOnTerminationSignals: false,
    // Drain: stop accepting, finish in-flight requests, then stop (no "operation received during shutdown").
    plugins: [
      ApolloServerPluginInlineTraceDisabled(),
      // No cache hints are set anywhere (answers are per caller), and the default cache-control plugin costs a hook per
      // resolved field; without a Cache-Control header the router treats an answer as uncacheable, as with no-store.
      ApolloServerPluginCacheControlDisabled(),
      ApolloServerPluginDrainHttpServer({ httpServer }),
      inputEchoPlugin<TContext>(),
      // NUL and unpaired surrogates would fail (or change) in PostgreSQL: refused before any resolver.
      storableTextPlugin<TContext>(),
      graphqlMetricsPlugin<TContext>(metrics),
      ...(options.plugins ?? []),
    ],
  });
  await apollo.start();

  app.get("/health", (_req, res) => {
    res.json({ status: "ok", service: options.name });
  });
  app.get("/ready", async (_req, res) => {
    try {
      await options.checkReady?.();
      res.json({ status: "ready", service: options.name });
    } catch (err) {
      logger.warn({ err }, "not ready");
      res.status(503).json({ status: "unavailable", service: options.name });
    }
  });
  observeReadiness(metrics, options.checkReady);
  app.get("/metrics", async (_req, res, next) => {
    try {
      const text = await metrics.text();
      res.setHeader("content-type", metrics.contentType);
      res.send(text);
    } catch (err) {
      next(err);
    }
  });
  options.routes?.(app);
  for (const [name, handle] of Object.entries(options.internal ?? {})) {
    app.post(
      `/internal/${name}`,
      ...traced,
      async (req: Request, res: Response, next: NextFunction) => {
        const header = req.headers[IDENTITY_HEADER];
        try {
          res.locals.caller = verifyIdentitySync(Array.isArray(header) ? header[0] : header, options.routerSecrets);
          next();
        } catch {
          res.status(401).json({ error: { code: "UNAUTHENTICATED", message: "Requests must come through the router" } });
        }
      },
      express.json({ limit: "256kb" }),
      async (req: Request, res: Response) => {
        try {
          res.json(await handle(req.body, res.locals.caller as Identity));
        } catch (err) {
          if (err instanceof DomainError) {
            res.status(400).json({ error: { code: err.code, message: err.message } });
            return;
          }
          if (isDatabaseBusy(err)) {
            logger.warn({ err, endpoint: name }, "internal endpoint: database busy");
            res.status(503).json({ error: { code: "SERVICE_UNAVAILABLE", message: "The service is busy; try again in a moment" } });
            return;
          }
          logger.error({ err, endpoint: name }, "internal endpoint failed");
          res.status(500).json({ error: { code: "INTERNAL", message: "Unexpected error" } });
        }
      },
      // A body that is not JSON (or too large): the parser's error, answered without its details.
      ((_err, _req, res, _next) => {
        res.status(400).json({ error: { code: "BAD_USER_INPUT", message: "The body must be JSON" } });
      }) satisfies ErrorRequestHandler,
    );
  }

  app.use(
    "/graphql",
    express.json({ limit: "1mb" }),
    ...traced,
    expressMiddleware(apollo, {
      context: async ({ req }) => {
        const header = req.headers[IDENTITY_HEADER];
        let identity: Identity;
        try {
          identity = verifyIdentitySync(Array.isArray(header) ? header[0] : header, options.routerSecrets);
        } catch (err) {
          if (err instanceof IdentityRejected) throw refused(err.message);
          throw err;
        }
        return options.createContext({ identity, logger: logger.child({ requestId: identity.requestId }) });
      },
    }),
  );

  const ws = options.subscriptions ? serveSubscriptions(httpServer, schema, options, options.subscriptions.keepAliveMs) : null;
  const close = async () => {
    await ws?.close();
    await closeServer(httpServer, apollo);
  };

  return {
    app,
    httpServer,
    metrics,
    async listen(port, host = "127.0.0.1") {
      const actual = await listenHttp(httpServer, port, host);
      logger.info({ port: actual }, `${options.name} subgraph listening`);
      return {
        url: `http://${host}:${actual}/graphql`,
        port: actual,
        httpServer,
        close,
      };
    },
    stop: close,
  };
}

function serveSubscriptions<TContext extends BaseContext>(
  httpServer: http.Server,
  schema: GraphQLSchema,
  options: SubgraphOptions<TContext>,
  keepAliveMs?: number,
) {
  const wss = new WebSocketServer({ server: httpServer, path: "/graphql" });
  /** An operation's own caller (`extensions.identity`, verified in onSubscribe), by its subscribe payload. */
  const operationIdentity = new WeakMap<object, Identity>();
  const formatError = createErrorFormatter(options.logger, { exposeInternal: options.exposeInternalErrors });
  const disposable = useServer<Record<string, unknown>, { identity: Identity }>(
    {
      schema,
      onConnect: async (ctx) => {
        try {
          const token = ctx.connectionParams?.identity;
          ctx.extra.identity = verifyIdentitySync(typeof token === "string" ? token : undefined, options.routerSecrets);
          return true;
        } catch {
          ctx.extra.socket.close(4401, "Requests must come through the router");
          return false;
        }
      },
      // The router multiplexes its callers over one connection: an operation may name its own caller in
      // `extensions.identity` (a router-signed token, checked like the connection's); without one it is the connection's.
      // Checked once, here; `context` (called next with the same payload) takes the identity from `operationIdentity`.
      onSubscribe: (_ctx, _id, payload) => {
        const own = payload.extensions?.identity;
        if (own === undefined) return;
        try {
          operationIdentity.set(payload, verifyIdentitySync(typeof own === "string" ? own : undefined, options.routerSecrets));
        } catch {
          return [new GraphQLError("Requests must come through the router", { extensions: { code: "UNAUTHENTICATED" } })];
        }
      },
      context: (ctx, _id, payload) => {
        const identity = operationIdentity.get(payload) ?? ctx.extra.identity!;
        return options.createContext({ identity, logger: options.logger.child({ requestId: identity.requestId }) });
      },
      // Domain errors keep their code over WebSocket too; anything else is masked, as over HTTP.
      onNext: (_ctx, _id, _payload, _args, result) => {
        if (!result.errors?.length) return result;
        const errors = result.errors.map((error) => {
          const formatted = formatError(error instanceof GraphQLError ? error.toJSON() : { message: String(error) }, error);
          return new GraphQLError(formatted.message, { path: formatted.path, extensions: formatted.extensions });
        });
        return { ...result, errors } as unknown as typeof result;
      },
      onError: (_ctx, _id, _payload, errors) => {
        options.logger.warn({ errors: errors.map((e) => e.message) }, "subscription error");
      },
    },
    wss,
    keepAliveMs,
  );
  return {
    async close() {
      await disposable.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

/**
 * A server span for each request, child of the caller's `traceparent`, active for the rest of the request. It starts
 * after the body is parsed: the body parser's stream callbacks would not run in the span's async context.
 */
function traceHttp(tracing: Tracing): RequestHandler {
  return (req, res, next) => {
    const parent = extractTraceContext(req.headers);
    const route = req.originalUrl.split("?")[0] ?? req.path;
    const operationName = (req.body as { operationName?: unknown } | undefined)?.operationName;
    const span = tracing.tracer.startSpan(
      `${req.method} ${route}`,
      {
        kind: SpanKind.SERVER,
        attributes: {
          "http.request.method": req.method,
          "http.route": route,
          ...(typeof operationName === "string" && operationName.length <= 200 ? { "graphql.operation.name": operationName } : {}),
        },
      },
      parent,
    );
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      span.setAttribute("http.response.status_code", res.statusCode);
      if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    };
    res.once("finish", end);
    res.once("close", end);
    context.with(trace.setSpan(parent, span), next);
  };
}

/** Wraps each root field's resolver (queries and mutations, `_entities` included) in a span named `Type.field`. */
function traceRootFields(schema: GraphQLSchema, tracing: Tracing): void {
  for (const type of [schema.getQueryType(), schema.getMutationType()]) {
    if (!type) continue;
    for (const field of Object.values((type as GraphQLObjectType).getFields())) {
      const resolve: GraphQLFieldResolver<unknown, unknown> =
        field.resolve ?? ((source, _args, _ctx, info) => (source as Record<string, unknown> | undefined)?.[info.fieldName]);
      const name = `${type.name}.${field.name}`;
      field.resolve = (source, args, ctx, info) =>
        inSpan(tracing, name, { attributes: { "graphql.field.path": name } }, async () => await resolve(source, args, ctx, info));
    }
  }
}

/** `clinigraph_subgraph_ready`: 1 while `checkReady` passes (asked at scrape time, as `/ready` would be), else 0. */
function observeReadiness(metrics: ServiceMetrics, checkReady: (() => Promise<void>) | undefined) {
  const ready = metrics.sampled("readiness", async () => {
    try {
      await checkReady?.();
      return 1;
    } catch {
      return 0;
    }
  });
  metrics.gauge({
    name: "clinigraph_subgraph_ready",
    help: "1 while the subgraph's dependencies answer (what /ready checks), 0 when they do not or do not answer in time",
    async collect() {
      this.set((await ready()) ?? 0);
    },
  });
}

/** A context-building failure, answered as HTTP 401 with a GraphQL error body. */
const refused = (message: string) => new GraphQLError(message, { extensions: { code: "UNAUTHENTICATED", http: { status: 401 } } });

async function closeServer<T extends BaseContext>(httpServer: http.Server, apollo: ApolloServer<T>) {
  await apollo.stop();
  if (!httpServer.listening) return;
  await new Promise<void>((resolve) => {
    httpServer.close(() => resolve());
    httpServer.closeAllConnections();
  });
}
