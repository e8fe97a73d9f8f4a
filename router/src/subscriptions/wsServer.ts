/**
 * Live feeds over WebSocket (`graphql-transport-ws`, what graphql-ws clients speak) on the router's own port and path
 * (`/graphql`), served by protocol.ts. The caller authenticates once, in `connection_init`
 * (`connectionParams.authorization: "Bearer <accessToken>"`); a missing or bad token closes the socket with 4401.
 * Subscriptions are planned and run federated (execute.ts); queries and mutations belong on HTTP. Keep-alive pings
 * detect dead connections. A result shared by several subscriptions is serialised once (protocol.ts), and patched
 * by authorization once per distinct authorization (`patchShared`).
 */
import type http from "node:http";
import { randomUUID } from "node:crypto";
import {
  GraphQLError,
  Kind,
  getOperationAST,
  getVariableValues,
  parse,
  print,
  specifiedRules,
  validate,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type ParseOptions,
  type ValidationRule,
} from "graphql";
import { ERROR_CODES, redactInputEcho, requestInputs, anonymous, signIdentitySync, type Identity, type Logger } from "@clinigraph/platform";
import type { Authenticate } from "../auth.js";
import type { RouterContext } from "../context.js";
import { SharedFeeds, type FederatedSubscriptionDeps } from "./execute.js";
import type { SubscriptionPlanner } from "./planner.js";
import { UpstreamSubscriptions } from "./upstream.js";
import { principalOf, type AuthorizationState } from "../authz/gateway.js";
import { authorizeOperation, type AuthorizedOperation } from "../authz/operation.js";
import { UNREADABLE_DOCUMENT, withoutSuggestions } from "../errors.js";
import type { SessionChecker } from "../sessions.js";
import { ROUTER_DEFAULTS } from "../config.js";
import { startProtocolServer, type Connection, type ResultSink, type SubscribeOutcome, type SubscribePayload } from "./protocol.js";

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

/** What an acknowledged connection holds: its caller (the token's expiry is the connection's deadline). */
interface ConnectionContext {
  identity: Identity;
}

export function startSubscriptionServer(options: SubscriptionServerOptions) {
  const { logger } = options;
  const upstreams = new UpstreamSubscriptions(logger, () => signIdentitySync(anonymous(), options.routerSecrets), options.keepAliveMs, options.onUpstreamEvent);
  const validationRules = [...specifiedRules, ...(options.validationRules ?? [])];
  const documents = new DocumentCache();
  const recheck = options.sessions ? setInterval(() => void recheckSessions(), options.sessions.recheckMs ?? ROUTER_DEFAULTS.sessionRecheckMs) : undefined;
  recheck?.unref();
  async function recheckSessions() {
    const checker = options.sessions!.checker;
    const bySession = new Map<string, { expiresAt: number; connections: Connection<ConnectionContext>[] }>();
    for (const connection of server.connections) {
      const identity = connection.context?.identity;
      if (!identity?.sessionId) continue;
      const entry = bySession.get(identity.sessionId) ?? { expiresAt: identity.expiresAt ?? Infinity, connections: [] };
      entry.connections.push(connection);
      bySession.set(identity.sessionId, entry);
    }
    await Promise.all(
      [...bySession].map(async ([sessionId, { expiresAt, connections }]) => {
        if (!(await checker.isRevoked(sessionId, expiresAt))) return;
        for (const connection of connections) connection.close(SESSION_ENDED_CLOSE, "Session ended");
      }),
    );
  }
  const deps: FederatedSubscriptionDeps = {
    upstreams,
    dataSources: options.dataSources,
    subgraphUrl: options.subgraphUrl,
    // Minted at each (re)send of the upstream operation: the token lives 60 s, the subscription much longer.
    identityToken: (context) => signIdentitySync(context.identity, options.routerSecrets),
    logger,
  };
  const feeds = new SharedFeeds(deps);

  async function onConnect(connection: Connection<ConnectionContext>, params: Readonly<Record<string, unknown>> | undefined) {
    const raw = params?.authorization ?? params?.Authorization;
    try {
      if (typeof raw !== "string" || raw.trim() === "") throw new Error("missing token");
      const identity = await options.authenticate(raw, flatUUID());
      if (!identity.userId) throw new Error("anonymous");
      // The socket lives as long as its token: at expiry it closes and the client re-authenticates.
      if (identity.expiresAt !== undefined) connection.closeAt(identity.expiresAt * 1000, UNAUTHORIZED, "Token expired");
      return { identity: compactIdentity(identity) };
    } catch {
      connection.close(UNAUTHORIZED, "Unauthorized");
      return false as const;
    }
  }

  async function onSubscribe(connection: Connection<ConnectionContext>, _id: string, payload: SubscribePayload): Promise<SubscribeOutcome> {
    const identity = connection.context!.identity;
    // --- edge (rate limit, safelist): before parsing or planning ---
    const refused = await options.admitSubscription?.(identity, payload);
    if (refused) return [...refused];
    // ---
    const schema = options.planner.apiGraphQLSchema();
    // Request errors never repeat the caller's input (as on HTTP: platform/inputEcho.ts).
    // Collected only when there is an error to redact: a valid subscribe message never walks its inputs.
    let inputs: string[] | undefined;
    const requestError = (message: string, code: string, nodes?: GraphQLError["nodes"]) => {
      inputs ??= requestInputs({ variables: payload.variables ?? {}, document, schema });
      return new GraphQLError(redactInputEcho(withoutSuggestions(message), inputs), { nodes, extensions: { code } });
    };
    let document = documents.get(schema, payload.query);
    if (!document) {
      try {
        document = parse(payload.query, options.parseOptions);
      } catch (err) {
        // A GraphQLError is a syntax error; anything else is the parser giving up (out of call stack).
        return [new GraphQLError(err instanceof GraphQLError ? err.message : UNREADABLE_DOCUMENT, { extensions: { code: ERROR_CODES.GRAPHQL_PARSE_FAILED } })];
      }
      const errors = validate(schema, document, validationRules);
      if (errors.length) return errors.map((e) => requestError(e.message, ERROR_CODES.GRAPHQL_VALIDATION_FAILED, e.nodes));
      documents.set(schema, payload.query, document);
    }
    // Variables are coerced here, before any planning: a wrong value is the caller's (BAD_USER_INPUT).
    const operation = document.definitions.find(
      (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION && (!payload.operationName || d.name?.value === payload.operationName),
    );
    if (operation) {
      const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], payload.variables ?? {}, { maxErrors: 10 });
      if (coerced.errors) return coerced.errors.map((e) => requestError(e.message, ERROR_CODES.BAD_USER_INPUT, e.nodes));
    }
    const operationName = payload.operationName ?? undefined;
    const operationAST = getOperationAST(document, operationName);
    if (!operationAST) return [new GraphQLError("Unable to identify operation")];
    if (operationAST.operation !== "subscription")
      return { errors: [new GraphQLError("Send queries and mutations over HTTP", { extensions: { code: ERROR_CODES.BAD_USER_INPUT } })] };
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
    // A subscription whose root field is denied never starts (it answers data: null and the errors, as HTTP does);
    // one with denied nested fields runs without them.
    if (auth.empty) return auth.patchResult({ data: null });
    // The context a feed's events are resolved in; made only when this subscription starts a feed.
    const context = (): RouterContext => ({
      identity: { ...identity, requestId: flatUUID() },
      logger: logger.child({ requestId: identity.requestId }),
    });
    try {
      const planned = options.planner.plan(auth.document, operationName);
      const variables = (payload.variables ?? {}) as Record<string, unknown>;
      const shareKey = JSON.stringify([printed(auth.document), operationName ?? null, variables, identity.userId, identity.role]);
      // Fails here (not once started) when the subgraph is unknown.
      if (!options.subgraphUrl(planned.primary.serviceName))
        throw new GraphQLError(`Unknown subgraph ${planned.primary.serviceName}`, { extensions: { code: ERROR_CODES.INTERNAL } });
      if (auth.unchanged) return (sink) => feeds.subscribe(planned, context, variables, shareKey, sink);
      // Shared results are resolved once for several clients: patch a copy, once per distinct authorization.
      const patchKey = JSON.stringify([schemaId(schema), payload.query, operationName ?? null, auth.errors]);
      return (sink) => feeds.subscribe(planned, context, variables, shareKey, patchedSink(sink, patchKey, auth));
    } catch (err) {
      if (err instanceof GraphQLError) return { errors: [err] };
      logger.error({ err }, "could not start a subscription");
      return { errors: [new GraphQLError("Unexpected error", { extensions: { code: ERROR_CODES.INTERNAL } })] };
    }
  }

  const server = startProtocolServer<ConnectionContext>({
    httpServer: options.httpServer,
    path: "/graphql",
    logger,
    keepAliveMs: options.keepAliveMs ?? 12_000,
    // As for HTTP bodies (express.json's limit): a larger message closes the socket (1009) before it is buffered whole.
    maxPayload: 1024 * 1024,
    onConnect,
    onAcknowledged: () => options.onConnectionChange?.(1),
    onDisconnect: () => options.onConnectionChange?.(-1),
    onSubscribe,
  });

  return {
    upstreams,
    connections: () => server.connections.size,
    async close() {
      clearInterval(recheck);
      await server.close();
      await upstreams.close();
    },
  };
}

/**
 * The identity a connection keeps, built field by field: every connection's identity then has one of a few shapes
 * (hidden classes), where a copy by spread can leave each with a shape (and property arrays) of its own.
 */
function compactIdentity(identity: Identity): Identity {
  const compact: Identity = { userId: identity.userId, role: identity.role, requestId: identity.requestId };
  if (identity.clientIp !== undefined) compact.clientIp = identity.clientIp;
  if (identity.scopes !== undefined) compact.scopes = identity.scopes;
  if (identity.authTime !== undefined) compact.authTime = identity.authTime;
  if (identity.sessionId !== undefined) compact.sessionId = identity.sessionId;
  if (identity.expiresAt !== undefined) compact.expiresAt = identity.expiresAt;
  return compact;
}

/**
 * A UUID as one flat string. `randomUUID()` builds its text by concatenation, a rope of about 15 pieces (~490 bytes)
 * until something flattens it; reading a character flattens it in place (~70 bytes). Connections keep theirs for hours.
 */
function flatUUID(): string {
  const id = randomUUID();
  id.charCodeAt(0);
  return id;
}

/** Most recent valid subscription documents kept, per schema. */
const DOCUMENT_CACHE_SIZE = 500;
/** Longer operation texts are parsed afresh every time (not kept as cache keys). */
const DOCUMENT_CACHE_MAX_QUERY = 16 * 1024;

/**
 * Parsed and validated subscription documents, per schema and operation text (least recently used out): clients
 * of one feed send the same text, so they share one document — and one plan (planner.ts), one printed text.
 */
class DocumentCache {
  private readonly bySchema = new WeakMap<GraphQLSchema, Map<string, DocumentNode>>();

  get(schema: GraphQLSchema, query: string): DocumentNode | undefined {
    const documents = this.bySchema.get(schema);
    const document = documents?.get(query);
    if (document) {
      documents!.delete(query);
      documents!.set(query, document);
    }
    return document;
  }

  set(schema: GraphQLSchema, query: string, document: DocumentNode): void {
    if (query.length > DOCUMENT_CACHE_MAX_QUERY) return;
    let documents = this.bySchema.get(schema);
    if (!documents) this.bySchema.set(schema, (documents = new Map()));
    documents.set(query, document);
    if (documents.size > DOCUMENT_CACHE_SIZE) documents.delete(documents.keys().next().value!);
  }
}

const printedDocuments = new WeakMap<DocumentNode, string>();
function printed(document: DocumentNode): string {
  let text = printedDocuments.get(document);
  if (text === undefined) printedDocuments.set(document, (text = print(document)));
  return text;
}

/**
 * Patched copies of shared results: (result, authorization) → one copy, so clients with the same operation and the
 * same fields removed share the copy (and its serialised payload).
 */
const patchedResults = new WeakMap<ExecutionResult, Map<string, ExecutionResult>>();

function patchShared(result: ExecutionResult, patchKey: string, auth: AuthorizedOperation): ExecutionResult {
  let byKey = patchedResults.get(result);
  if (!byKey) patchedResults.set(result, (byKey = new Map()));
  let patched = byKey.get(patchKey);
  if (!patched) byKey.set(patchKey, (patched = auth.patchResult(structuredClone(result) as ExecutionResult)));
  return patched;
}

/** A number per schema object (a patch depends on the schema's types: the supergraph may be reloaded). */
const schemaIds = new WeakMap<GraphQLSchema, number>();
let lastSchemaId = 0;
function schemaId(schema: GraphQLSchema): number {
  let id = schemaIds.get(schema);
  if (id === undefined) schemaIds.set(schema, (id = ++lastSchemaId));
  return id;
}

/** A sink that is handed each result patched by `auth` (the patched copy shared by the same authorization). */
function patchedSink(sink: ResultSink, patchKey: string, auth: AuthorizedOperation): ResultSink {
  return {
    next: (result) => sink.next(patchShared(result, patchKey, auth)),
    complete: () => sink.complete(),
  };
}
