/**
 * Runs one federated subscription: the planned `primary` as an upstream subscription, and for every
 * event, the rest of the plan through `executeQueryPlan` — the gateway's own executor — with the primary
 * fetch answered by the event. Fields owned by other subgraphs are thus resolved exactly as in a query,
 * and the result is shaped to the client's operation (aliases, fragments, nullability) by the same code.
 * Identical client subscriptions share one feed (`SharedFeeds`): each event is resolved once for all of them.
 */
import { executeQueryPlan, type GraphQLDataSource, type ServiceMap } from "@apollo/gateway";
import type { FetchNode, QueryPlan } from "@apollo/query-planner";
import { GraphQLError, OperationTypeNode, type ExecutionResult } from "graphql";
import { ERROR_CODES, type Logger } from "@clinigraph/platform";
import type { RouterContext } from "../context.js";
import type { PlannedSubscription } from "./planner.js";
import type { UpstreamSubscriptions } from "./upstream.js";
import type { ResultSink } from "./protocol.js";

export interface FederatedSubscriptionDeps {
  upstreams: UpstreamSubscriptions;
  dataSources: () => Readonly<Record<string, GraphQLDataSource<RouterContext>>>;
  subgraphUrl: (name: string) => string | undefined;
  /** The caller's identity signed for a subgraph (synchronous: it is signed as the upstream operation is sent). */
  identityToken: (context: RouterContext) => string;
  logger: Logger;
}

/** A data source that answers the primary (subscription) fetch with the event and delegates the rest. */
function eventSource(real: GraphQLDataSource<RouterContext> | undefined, primaryOperation: string, event: ExecutionResult): GraphQLDataSource<RouterContext> {
  return {
    process: (options) => {
      if (options.request.query === primaryOperation) return Promise.resolve({ data: event.data ?? null, errors: event.errors } as never);
      if (!real) throw new Error("no data source");
      return real.process(options);
    },
  };
}

export async function resolveEvent(
  planned: PlannedSubscription,
  event: ExecutionResult,
  context: RouterContext,
  variables: Record<string, unknown>,
  deps: FederatedSubscriptionDeps,
) {
  if (!event.data)
    return {
      errors: event.errors?.length
        ? upstreamErrors(event.errors)
        : [new GraphQLError("Upstream subscription failed", { extensions: { code: ERROR_CODES.INTERNAL } })],
    };
  const primary: FetchNode = { ...planned.primary, operationKind: OperationTypeNode.QUERY };
  const plan: QueryPlan = { kind: "QueryPlan", node: planned.rest ? { kind: "Sequence", nodes: [primary, planned.rest] } : primary };
  const real = deps.dataSources();
  const serviceMap: ServiceMap = { ...real, [planned.primary.serviceName]: eventSource(real[planned.primary.serviceName], planned.primary.operation, event) };
  // A subscription lives longer than a signed identity (60 s): every event's fetches sign afresh.
  const eventContext: RouterContext = { ...context, identityToken: undefined };
  const requestContext = {
    request: { variables, http: undefined },
    context: eventContext,
    logger: context.logger,
    cache: undefined,
    metrics: {},
    overallCachePolicy: { restrict: () => undefined, replace: () => undefined, policyIfCacheable: () => null },
    operation: planned.operationContext.operation,
    document: undefined,
    source: undefined,
    queryHash: undefined,
  } as unknown as Parameters<typeof executeQueryPlan>[2];
  const result = await executeQueryPlan(plan, serviceMap, requestContext, planned.operationContext, planned.supergraphSchema, planned.apiSchema);
  return { data: result.data ?? null, ...(result.errors?.length ? { errors: result.errors } : {}) } as ExecutionResult;
}

/**
 * Live feeds shared by identical client subscriptions (same operation text, variables and caller: their results are
 * the same). A feed listens to its upstream subscription once, resolves each event once, and hands the same result
 * object to every subscription in upstream order — synchronously, with no queue or promise per subscription. A
 * subscription receives the events the upstream delivers after it joined, as if it listened to the upstream itself.
 */
export class SharedFeeds {
  private readonly feeds = new Map<string, SharedFeed>();

  constructor(private readonly deps: FederatedSubscriptionDeps) {}

  /**
   * Delivers the feed of `shareKey` to `sink` until the returned function is called. `context` is asked for only
   * when the feed starts (its events are resolved for that caller).
   */
  subscribe(
    planned: PlannedSubscription,
    context: () => RouterContext,
    variables: Record<string, unknown>,
    /** Identical for subscriptions with the same operation text, variables and caller. */
    shareKey: string,
    sink: ResultSink,
  ): () => void {
    let feed = this.feeds.get(shareKey);
    if (!feed) {
      const url = this.deps.subgraphUrl(planned.primary.serviceName);
      if (!url) throw new GraphQLError(`Unknown subgraph ${planned.primary.serviceName}`, { extensions: { code: ERROR_CODES.INTERNAL } });
      const started = new SharedFeed(planned, context(), variables, this.deps, () => {
        if (this.feeds.get(shareKey) === started) this.feeds.delete(shareKey);
      });
      started.start(url);
      this.feeds.set(shareKey, (feed = started));
    }
    feed.add(sink);
    return stopper(feed, sink);
  }
}

/** Made apart from `subscribe`, so the function an open subscription keeps holds its feed and sink, nothing else. */
const stopper = (feed: SharedFeed, sink: ResultSink) => () => feed.remove(sink);

class SharedFeed {
  /** Each sink with the number of events the upstream had delivered when it joined. */
  private readonly sinks = new Map<ResultSink, number>();
  private received = 0;
  private chain: Promise<void> = Promise.resolve();
  private unsubscribe: (() => void) | undefined;
  private ended = false;

  constructor(
    private readonly planned: PlannedSubscription,
    private readonly context: RouterContext,
    private readonly variables: Record<string, unknown>,
    private readonly deps: FederatedSubscriptionDeps,
    /** Takes the feed out of the feeds new subscriptions join (idempotent). */
    private readonly detach: () => void,
  ) {}

  start(url: string) {
    const { planned, variables, context, deps } = this;
    const primaryVariables = Object.fromEntries(
      (planned.primary.variableUsages ?? []).filter((name) => name in variables).map((name) => [name, variables[name]]),
    );
    this.unsubscribe = deps.upstreams.subscribe(
      {
        url,
        query: planned.primary.operation,
        variables: primaryVariables,
        identityKey: `${context.identity.userId ?? ""}:${context.identity.role ?? ""}`,
        identityToken: () => deps.identityToken(context),
      },
      this,
    );
  }

  add(sink: ResultSink) {
    this.sinks.set(sink, this.received);
  }

  remove(sink: ResultSink) {
    if (!this.sinks.delete(sink) || this.sinks.size > 0) return;
    this.end();
  }

  // --- the upstream's listener: events resolve one after another, so every sink sees them in upstream order ---

  next(event: ExecutionResult) {
    const number = ++this.received;
    this.chain = this.chain.then(async () => {
      if (this.ended) return;
      let result: ExecutionResult;
      try {
        result = await resolveEvent(this.planned, event, this.context, this.variables, this.deps);
      } catch (err) {
        this.deps.logger.error({ err }, "could not resolve a subscription event");
        result = { errors: [new GraphQLError("Unexpected error", { extensions: { code: ERROR_CODES.INTERNAL } })] };
      }
      this.deliver(result, number);
    });
  }

  error(err: unknown) {
    const number = ++this.received;
    this.detach(); // the upstream has ended: a subscription from now on starts a feed of its own
    this.chain = this.chain.then(() => {
      if (this.ended) return;
      this.deliver({ errors: upstreamErrors(err) }, number);
      this.finish();
    });
  }

  complete() {
    this.detach();
    this.chain = this.chain.then(() => {
      if (!this.ended) this.finish();
    });
  }

  /** To every sink that joined before event `number` arrived (and has not left since). */
  private deliver(result: ExecutionResult, number: number) {
    // forEach, not for…of: no [sink, joinedAt] pair is made per sink and event.
    this.sinks.forEach((joinedAt, sink) => {
      if (joinedAt >= number) return;
      try {
        sink.next(result);
      } catch (err) {
        this.deps.logger.error({ err }, "could not deliver a subscription event");
      }
    });
  }

  private finish() {
    const sinks = [...this.sinks.keys()];
    this.end();
    for (const sink of sinks) sink.complete();
  }

  private end() {
    if (this.ended) return;
    this.ended = true;
    this.sinks.clear();
    this.detach();
    this.unsubscribe?.();
  }
}

/** Upstream codes a subscriber is told as they are (with their message). */
const PASSED_ON: ReadonlySet<string> = new Set([
  ERROR_CODES.UNAUTHENTICATED,
  ERROR_CODES.FORBIDDEN,
  ERROR_CODES.BAD_USER_INPUT,
  ERROR_CODES.NOT_FOUND,
  ERROR_CODES.CONFLICT,
]);

/** graphql-ws reports operation errors as an array of GraphQL errors; keep their codes, hide anything else. */
function upstreamErrors(err: unknown): GraphQLError[] {
  if (Array.isArray(err)) {
    return err.map((e: { message?: string; extensions?: Record<string, unknown>; path?: readonly (string | number)[] }) => {
      const code = typeof e.extensions?.code === "string" ? e.extensions.code : ERROR_CODES.INTERNAL;
      const safe = PASSED_ON.has(code);
      return new GraphQLError(safe ? (e.message ?? "Error") : "Unexpected error", { path: e.path, extensions: { code: safe ? code : ERROR_CODES.INTERNAL } });
    });
  }
  return [new GraphQLError("The subscription's subgraph is unavailable", { extensions: { code: ERROR_CODES.SERVICE_UNAVAILABLE } })];
}
