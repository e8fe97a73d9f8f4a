/**
 * graphql-ws on the router's own port and path (`/graphql`). The caller authenticates once, in
 * `connection_init` (`connectionParams.authorization: "Bearer <accessToken>"`); a missing or bad token
 * closes the socket with 4401. Subscriptions are planned and run federated (execute.ts); queries and
 * mutations belong on HTTP. Keep-alive pings detect dead connections (graphql-ws `keepAlive`).
 */
import type http from "node:http";
import { randomUUID } from "node:crypto";
import { WebSocketServer, type WebSocket } from "ws";
import { useServer } from "graphql-ws/use/ws";
import {
  GraphQLError,
  Kind,
  getVariableValues,
  parse,
  print,
  specifiedRules,
  validate,
  type ExecutionResult,
  type OperationDefinitionNode,
  type ParseOptions,
  type ValidationRule,
} from "graphql";
import { ERROR_CODES, redactInputEcho, requestInputs, signIdentity, type Identity, type Logger } from "@clinigraph/platform";
import type { Authenticate } from "../auth.js";
import type { RouterContext } from "../context.js";
import { federatedSubscription, type FederatedSubscriptionDeps } from "./execute.js";
import type { SubscriptionPlanner } from "./planner.js";
import { UpstreamSubscriptions } from "./upstream.js";
import { principalOf, type AuthorizationState } from "../authz/gateway.js";
import { authorizeOperation, type AuthorizedOperation } from "../authz/operation.js";
import { UNREADABLE_DOCUMENT, withoutSuggestions } from "../errors.js";
import type { SessionChecker } from "../sessions.js";
import { ROUTER_DEFAULTS } from "../config.js";

export interface SubscriptionServerOptions {
  httpServer: http.Server;
  planner: SubscriptionPlanner;
  authenticate: Authenticate;
  routerSecrets: readonly string[];
  logger: Logger;
  dataSources: FederatedSubscriptionDeps["dataSources"];
  subgraphUrl: FederatedSubscriptionDeps["subgraphUrl"];
  keepAliveMs?: number;
  /** Called for every event an upstream subscription delivers. */
  onUpstreamEvent?: () => void;
  onConnectionChange?: (delta: 1 | -1) => void;
  /** Extra validation rules (the edge limits), applied as to HTTP operations. */
  validationRules?: readonly ValidationRule[];
  /** Parser limits (the edge's token limit), as for HTTP operations. */
  parseOptions?: ParseOptions;
  /** The supergraph's `@authenticated` / `@requiresScopes` / `@policy` rules, as for HTTP operations. */
  authorization: AuthorizationState;
  /**
   * Ended sessions: every open socket's session is asked about every `recheckMs` (default 10 000) and the socket
   * closed with 4403 when it has ended. Without it, a socket lives until its token expires (then 4401).
   */
  sessions?: { checker: SessionChecker; recheckMs?: number };
  /** Edge checks per subscribe message (router/src/edge.ts: rate limit, safelist); errors refuse it. */
  admitSubscription?: (identity: Identity, payload: { query?: string }) => Promise<readonly GraphQLError[] | undefined>;
}

/**
 * Close codes a client acts on: 4401 — no valid token at `connection_init`, or the token expired (refresh it,
 * reconnect and resume each feed with `since: <last cursor>`); 4403 — the session has ended (signed out,
 * password changed): sign in again.
 */
export const UNAUTHORIZED = 4401;
export const SESSION_ENDED_CLOSE = 4403;

export function startSubscriptionServer(options: SubscriptionServerOptions) {
  const { logger } = options;
  const upstreams = new UpstreamSubscriptions(logger, options.keepAliveMs, options.onUpstreamEvent);
  const wss = new WebSocketServer({ server: options.httpServer, path: "/graphql" });
  const validationRules = [...specifiedRules, ...(options.validationRules ?? [])];
  /** Authenticated sockets: their session and the timer that closes them when the token expires. */
  const live = new Map<WebSocket, { sessionId?: string; expiresAt: number; expiry: NodeJS.Timeout }>();
  const recheck = options.sessions ? setInterval(() => void recheckSessions(), options.sessions.recheckMs ?? ROUTER_DEFAULTS.sessionRecheckMs) : undefined;
  recheck?.unref();
  async function recheckSessions() {
    const checker = options.sessions!.checker;
    const bySession = new Map<string, { expiresAt: number; sockets: WebSocket[] }>();
    for (const [socket, { sessionId, expiresAt }] of live) {
      if (!sessionId) continue;
      const entry = bySession.get(sessionId) ?? { expiresAt, sockets: [] };
      entry.sockets.push(socket);
      bySession.set(sessionId, entry);
    }
    await Promise.all(
      [...bySession].map(async ([sessionId, { expiresAt, sockets }]) => {
        if (!(await checker.isRevoked(sessionId, expiresAt))) return;
        for (const socket of sockets) socket.close(SESSION_ENDED_CLOSE, "Session ended");
      }),
    );
  }
  const deps: FederatedSubscriptionDeps = {
    upstreams,
    dataSources: options.dataSources,
    subgraphUrl: options.subgraphUrl,
    // Minted at each (re)connection of the upstream: the token lives 60 s, the connection much longer.
    identityToken: (context) => signIdentity(context.identity, options.routerSecrets),
    logger,
  };

  const disposable = useServer<Record<string, unknown>, { identity: Identity }>(
    {
      schema: () => options.planner.apiGraphQLSchema(),
      onConnect: async (ctx) => {
        const raw = ctx.connectionParams?.authorization ?? ctx.connectionParams?.Authorization;
        try {
          if (typeof raw !== "string" || raw.trim() === "") throw new Error("missing token");
          const identity = await options.authenticate(raw, randomUUID());
          if (!identity.userId) throw new Error("anonymous");
          ctx.extra.identity = identity;
          const socket = ctx.extra.socket;
          // The socket lives as long as its token: at expiry it closes and the client re-authenticates.
          const expiresAt = identity.expiresAt ?? Infinity;
          const expiry = setTimeout(() => socket.close(UNAUTHORIZED, "Token expired"), Math.min(Math.max(0, expiresAt * 1000 - Date.now()), 2 ** 31 - 1));
          expiry.unref();
          live.set(socket, { ...(identity.sessionId ? { sessionId: identity.sessionId } : {}), expiresAt, expiry });
          options.onConnectionChange?.(1);
          socket.once("close", () => {
            clearTimeout(expiry);
            live.delete(socket);
            options.onConnectionChange?.(-1);
          });
          return true;
        } catch {
          ctx.extra.socket.close(UNAUTHORIZED, "Unauthorized");
          return false;
        }
      },
      onSubscribe: async (ctx, _id, payload) => {
        // --- edge (rate limit, safelist): before parsing or planning ---
        const refused = await options.admitSubscription?.(ctx.extra.identity!, payload);
        if (refused) return [...refused];
        // ---
        let document;
        try {
          document = parse(payload.query, options.parseOptions);
        } catch (err) {
          // A GraphQLError is a syntax error; anything else is the parser giving up (out of call stack).
          return [
            new GraphQLError(err instanceof GraphQLError ? err.message : UNREADABLE_DOCUMENT, { extensions: { code: ERROR_CODES.GRAPHQL_PARSE_FAILED } }),
          ];
        }
        const schema = options.planner.apiGraphQLSchema();
        // Request errors never repeat the caller's input (as on HTTP: platform/inputEcho.ts).
        // Collected only when there is an error to redact: a valid subscribe message never walks its inputs.
        let inputs: string[] | undefined;
        const requestError = (message: string, code: string, nodes?: GraphQLError["nodes"]) => {
          inputs ??= requestInputs({ variables: payload.variables ?? {}, document, schema });
          return new GraphQLError(redactInputEcho(withoutSuggestions(message), inputs), { nodes, extensions: { code } });
        };
        const errors = validate(schema, document, validationRules);
        if (errors.length) return errors.map((e) => requestError(e.message, ERROR_CODES.GRAPHQL_VALIDATION_FAILED, e.nodes));
        // Variables are coerced here, before any planning: a wrong value is the caller's (BAD_USER_INPUT).
        const operation = document.definitions.find(
          (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION && (!payload.operationName || d.name?.value === payload.operationName),
        );
        if (operation) {
          const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], payload.variables ?? {}, { maxErrors: 10 });
          if (coerced.errors) return coerced.errors.map((e) => requestError(e.message, ERROR_CODES.BAD_USER_INPUT, e.nodes));
        }
        const identity = ctx.extra.identity!;
        const { authorization } = options;
        const auth = authorizeOperation({
          schema,
          document,
          operationName: payload.operationName,
          rules: authorization.rules,
          principal: principalOf(identity),
          policies: authorization.policies,
          now: authorization.clock(),
        });
        // A subscription whose root field is denied never starts (`subscribe` answers data: null and the errors,
        // as HTTP does); one with denied nested fields runs without them.
        const context: RouterContext & { authorization?: AuthorizedOperation } = {
          identity: { ...identity, requestId: randomUUID() },
          logger: logger.child({ requestId: identity.requestId }),
          ...(auth.unchanged ? {} : { authorization: auth }),
        };
        return {
          schema,
          document: auth.document,
          operationName: payload.operationName ?? undefined,
          variableValues: payload.variables ?? {},
          contextValue: context,
        };
      },
      subscribe: (args) => {
        try {
          const context = args.contextValue as RouterContext & { authorization?: AuthorizedOperation };
          if (context.authorization?.empty) return context.authorization.patchResult({ data: null });
          const planned = options.planner.plan(args.document, args.operationName ?? undefined);
          const variables = (args.variableValues ?? {}) as Record<string, unknown>;
          const shareKey = JSON.stringify([print(args.document), args.operationName ?? null, variables, context.identity.userId, context.identity.role]);
          const results = federatedSubscription(planned, context, variables, deps, shareKey);
          const auth = context.authorization;
          // Shared results are resolved once for several clients: patch a copy.
          return auth ? mapResults(results, (result) => auth.patchResult(structuredClone(result) as ExecutionResult)) : results;
        } catch (err) {
          if (err instanceof GraphQLError) return { errors: [err] } as ExecutionResult;
          logger.error({ err }, "could not start a subscription");
          return { errors: [new GraphQLError("Unexpected error", { extensions: { code: ERROR_CODES.INTERNAL } })] } as ExecutionResult;
        }
      },
      execute: () => ({ errors: [new GraphQLError("Send queries and mutations over HTTP", { extensions: { code: ERROR_CODES.BAD_USER_INPUT } })] }),
    },
    wss,
    options.keepAliveMs,
  );

  return {
    upstreams,
    connections: () => wss.clients.size,
    async close() {
      clearInterval(recheck);
      for (const { expiry } of live.values()) clearTimeout(expiry);
      await disposable.dispose();
      await upstreams.close();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

/** Maps each result, passing `return()` straight through so completing the client's subscription ends the upstream one. */
function mapResults(inner: AsyncIterableIterator<ExecutionResult>, map: (result: ExecutionResult) => ExecutionResult): AsyncIterableIterator<ExecutionResult> {
  const iterator: AsyncIterableIterator<ExecutionResult> = {
    next: async () => {
      const step = await inner.next();
      return step.done ? step : { value: map(step.value), done: false };
    },
    return: async (value?: unknown) => (inner.return ? inner.return(value) : { value: undefined, done: true }),
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
}
