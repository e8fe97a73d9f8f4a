/**
 * Runs one federated subscription: the planned `primary` as an upstream subscription, and for every
 * event, the rest of the plan through `executeQueryPlan` — the gateway's own executor — with the primary
 * fetch answered by the event. Fields owned by other subgraphs are thus resolved exactly as in a query,
 * and the result is shaped to the client's operation (aliases, fragments, nullability) by the same code.
 */
import { executeQueryPlan, type GraphQLDataSource, type ServiceMap } from "@apollo/gateway";
import type { FetchNode, QueryPlan } from "@apollo/query-planner";
import { GraphQLError, OperationTypeNode, type ExecutionResult } from "graphql";
import { ERROR_CODES, type Logger } from "@clinigraph/platform";
import type { RouterContext } from "../context.js";
import type { PlannedSubscription } from "./planner.js";
import type { UpstreamSubscriptions } from "./upstream.js";

/**
 * Resolved events shared between identical client subscriptions: the upstream hands every listener the
 * same event object, so (event, client operation, variables, identity) → one resolution, however many
 * clients watch the same feed.
 */
const resolvedEvents = new WeakMap<object, Map<string, Promise<ExecutionResult>>>();

function resolveShared(event: ExecutionResult, shareKey: string, resolve: () => Promise<ExecutionResult>): Promise<ExecutionResult> {
  let byKey = resolvedEvents.get(event);
  if (!byKey) resolvedEvents.set(event, (byKey = new Map()));
  let result = byKey.get(shareKey);
  if (!result) byKey.set(shareKey, (result = resolve()));
  return result;
}

export interface FederatedSubscriptionDeps {
  upstreams: UpstreamSubscriptions;
  dataSources: () => Readonly<Record<string, GraphQLDataSource<RouterContext>>>;
  subgraphUrl: (name: string) => string | undefined;
  identityToken: (context: RouterContext) => Promise<string>;
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

/** An async iterator over the client's results for one subscription. */
export function federatedSubscription(
  planned: PlannedSubscription,
  context: RouterContext,
  variables: Record<string, unknown>,
  deps: FederatedSubscriptionDeps,
  /** Identical for subscriptions with the same operation text, variables and caller (their results are the same). */
  shareKey: string,
): AsyncIterableIterator<ExecutionResult> {
  const url = deps.subgraphUrl(planned.primary.serviceName);
  if (!url) throw new GraphQLError(`Unknown subgraph ${planned.primary.serviceName}`, { extensions: { code: ERROR_CODES.INTERNAL } });
  const queue: ExecutionResult[] = [];
  const waiting: ((value: IteratorResult<ExecutionResult>) => void)[] = [];
  let done = false;
  let chain = Promise.resolve();

  const push = (result: ExecutionResult) => {
    const resolve = waiting.shift();
    if (resolve) resolve({ value: result, done: false });
    else queue.push(result);
  };
  const finish = () => {
    done = true;
    unsubscribe();
    while (waiting.length) waiting.shift()!({ value: undefined, done: true });
  };

  const primaryVariables = Object.fromEntries(
    (planned.primary.variableUsages ?? []).filter((name) => name in variables).map((name) => [name, variables[name]]),
  );
  const unsubscribe = deps.upstreams.subscribe(
    {
      url,
      query: planned.primary.operation,
      variables: primaryVariables,
      identityKey: `${context.identity.userId ?? ""}:${context.identity.role ?? ""}`,
      identityToken: () => deps.identityToken(context),
    },
    {
      // Events resolve one after another, so the client sees them in upstream order.
      next: (event) => {
        chain = chain.then(async () => {
          if (done) return;
          try {
            push(await resolveShared(event, shareKey, () => resolveEvent(planned, event, context, variables, deps)));
          } catch (err) {
            deps.logger.error({ err }, "could not resolve a subscription event");
            push({ errors: [new GraphQLError("Unexpected error", { extensions: { code: ERROR_CODES.INTERNAL } })] });
          }
        });
      },
      error: (err) => {
        chain = chain.then(() => {
          push({ errors: upstreamErrors(err) });
          finish();
        });
      },
      complete: () => {
        chain = chain.then(finish);
      },
    },
  );

  return {
    next: () =>
      queue.length
        ? Promise.resolve({ value: queue.shift()!, done: false })
        : done
          ? Promise.resolve({ value: undefined, done: true })
          : new Promise((resolve) => waiting.push(resolve)),
    return: () => {
      finish();
      return Promise.resolve({ value: undefined, done: true });
    },
    throw: (err) => {
      finish();
      return Promise.reject(err);
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
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
