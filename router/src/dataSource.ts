/**
 * The gateway's subgraph client: forwards the caller's identity as a router-signed token
 * (`x-clinigraph-identity`, see platform identity.ts) and the request id, over the keep-alive fetcher.
 * Transport failures become a per-subgraph error (partial data for the rest of the query).
 *
 * `process` does what @apollo/gateway's RemoteGraphQLDataSource does (same request body, same errors, same cache
 * hints) without its per-call node-fetch Request and Headers objects, and identical queries in flight at the same
 * time for the same caller share one subgraph request (inflight.ts) unless that is switched off.
 */
import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from "@apollo/gateway";
import { GraphQLError, type GraphQLErrorExtensions } from "graphql";
import { ERROR_CODES, IDENTITY_HEADER, REQUEST_ID_HEADER, anonymous, signIdentitySync, type Identity, type Logger } from "@clinigraph/platform";
import type { RouterContext } from "./context.js";
import { DEADLINE_HEADER, type RawResponse, type SubgraphFetcher } from "./fetcher.js";
import { subgraphFailed, subgraphUnavailable } from "./errors.js";
import type { InflightRequests } from "./inflight.js";

type ProcessResult = Awaited<ReturnType<RemoteGraphQLDataSource["process"]>>;

export interface SubgraphDataSourceOptions {
  name: string;
  url: string;
  fetcher: Pick<SubgraphFetcher, "post">;
  routerSecrets: readonly string[];
  logger: Logger;
  /** Called once per request sent to the subgraph (metrics); `shared`: answered by an identical request in flight. */
  onRequest?: (subgraph: string, shared: boolean) => void;
  /** Identical concurrent queries of one caller share a request; absent: every call is its own request. */
  inflight?: InflightRequests;
}

export class SubgraphDataSource extends RemoteGraphQLDataSource<RouterContext> {
  readonly name: string;
  private readonly routerSecrets: readonly string[];
  private readonly log: Logger;
  private readonly onRequest: ((subgraph: string, shared: boolean) => void) | undefined;
  private readonly post: SubgraphFetcher["post"];
  private readonly inflight: InflightRequests | undefined;

  constructor(options: SubgraphDataSourceOptions) {
    super({ url: options.url });
    this.name = options.name;
    this.routerSecrets = options.routerSecrets;
    this.log = options.logger;
    this.onRequest = options.onRequest;
    this.post = options.fetcher.post;
    this.inflight = options.inflight;
  }

  override async process(options: GraphQLDataSourceProcessOptions<RouterContext>): Promise<ProcessResult> {
    const { request } = options;
    const context = options.context as Partial<RouterContext>;
    if (!request.query) throw new Error("Missing query");

    const headers: Record<string, string> = {};
    if (request.http?.headers) for (const [name, value] of request.http.headers) headers[name.toLowerCase()] = value;
    headers["content-type"] = "application/json";
    // Gateway-internal requests (health checks) have no router context: they go out as anonymous.
    const identity = context.identity ?? anonymous();
    headers[IDENTITY_HEADER] = context.identity
      ? (context.identityToken ??= signIdentitySync(identity, this.routerSecrets))
      : signIdentitySync(identity, this.routerSecrets);
    headers[REQUEST_ID_HEADER] = identity.requestId;
    if (context.deadline !== undefined) headers[DEADLINE_HEADER] = String(Math.max(0, context.deadline - Date.now()));

    const { query, variables, operationName, extensions } = request;
    const body = JSON.stringify({ query, variables, operationName, extensions });

    const raw = { headers, body, signal: context.abandoned };
    // A mutation's fetches (the write, and the entities it returns) are never shared, and while one runs, calls
    // already in flight are not joined: whatever reads after a write must see it (inflight.ts).
    const write = !isQuery(query) || partOfMutation(options);
    let response: RawResponse | undefined;
    if (write) this.inflight?.changed();
    try {
      const answer =
        this.inflight && context.identity && !write
          ? this.inflight.run(`${this.url}\n${identityKey(context.identity)}\n${body}`, () => this.post(this.url, raw))
          : { response: this.post(this.url, raw), shared: false };
      this.onRequest?.(this.name, answer.shared);
      response = await answer.response;
      if (response.status < 200 || response.status > 299) throw errorFromResponse(response);
      const parsed = parseBody(response);
      if (!isObject(parsed)) throw new Error(`Expected JSON response body, but received: ${String(parsed)}`);
      restrictCachePolicy(options, response.cacheControl);
      return { ...(parsed as ProcessResult), http: { status: response.status } as never };
    } catch (error) {
      return this.didEncounterError(error as Error, undefined, response, context as RouterContext);
    } finally {
      if (write) this.inflight?.changed();
    }
  }

  override didEncounterError(error: Error, _request: unknown, response?: { status: number }, context?: RouterContext): never {
    const status = response?.status;
    const logger = context?.logger ?? this.log;
    logger.warn({ serviceName: this.name, status, reason: error.message }, "subgraph request failed");
    // A value the supergraph cannot check (a custom scalar such as Date) refused by the subgraph: the caller's mistake, not ours.
    const refused = status === 400 ? badInputFrom(error) : undefined;
    if (refused) throw new GraphQLError(refused, { extensions: { code: ERROR_CODES.BAD_USER_INPUT, serviceName: this.name } });
    if (status === undefined || status === 502 || status === 503 || status === 504) throw subgraphUnavailable(this.name);
    throw subgraphFailed(this.name);
  }
}

/** Everything of the caller the signed identity carries, but the request id: who the subgraph answers for. */
function identityKey(identity: Identity): string {
  return `${identity.userId ?? ""}\u0000${identity.role ?? ""}\u0000${identity.clientIp ?? ""}`;
}

/** The fetches of a mutation's plan (the entities it returns, read after its write) are never shared either. */
function partOfMutation(options: GraphQLDataSourceProcessOptions<RouterContext>): boolean {
  const incoming = (options as { incomingRequestContext?: { operation?: { operation?: string } } }).incomingRequestContext;
  return incoming?.operation?.operation === "mutation";
}

/** A query operation (the planner writes `query …` or `{…}`); mutations are never shared. */
function isQuery(operation: string): boolean {
  const first = operation.trimStart();
  return first.startsWith("query") || first.startsWith("{");
}

function parseBody(response: RawResponse): unknown {
  const type = response.contentType;
  if (type && (type.startsWith("application/json") || type.startsWith("application/graphql-response+json"))) return JSON.parse(response.body) as unknown;
  return response.body;
}

/** RemoteGraphQLDataSource's error for a non-2xx answer (the body, parsed when it is JSON, rides in extensions). */
function errorFromResponse(response: RawResponse): GraphQLError {
  let body: unknown;
  try {
    body = parseBody(response);
  } catch {
    body = response.body;
  }
  const extensions: GraphQLErrorExtensions = { response: { url: response.url, status: response.status, statusText: response.statusText, body } };
  if (response.status === 401) extensions.code = "UNAUTHENTICATED";
  else if (response.status === 403) extensions.code = "FORBIDDEN";
  return new GraphQLError(`${response.status}: ${response.statusText}`, { extensions });
}

/** The subgraph's Cache-Control narrows the response's cache policy, as RemoteGraphQLDataSource does. */
function restrictCachePolicy(options: GraphQLDataSourceProcessOptions<RouterContext>, cacheControl: string | undefined): void {
  if (options.kind !== ("incoming operation" as never)) return;
  const policy = (options as { incomingRequestContext?: { overallCachePolicy?: unknown } }).incomingRequestContext?.overallCachePolicy;
  if (!policy || typeof policy !== "object" || !("restrict" in policy)) return;
  const parsed: Record<string, string | true> = {}; // as @apollo/gateway's parseCacheControlHeader
  if (cacheControl) {
    for (const part of cacheControl.trim().split(/\s*,\s*/)) {
      const [name, value] = part.split(/\s*=\s*/, 2) as [string, string | undefined];
      parsed[name] = value === undefined ? true : value.replace(/^"|"$/g, "");
    }
  }
  const hint: { maxAge: number; scope?: "PRIVATE" | "PUBLIC" } = { maxAge: 0 };
  const maxAge = parsed["max-age"];
  if (typeof maxAge === "string" && /^[0-9]+$/.test(maxAge)) hint.maxAge = Number(maxAge);
  if (parsed.private === true) hint.scope = "PRIVATE";
  if (parsed.public === true) hint.scope = "PUBLIC";
  (policy as { restrict(hint: unknown): void }).restrict(hint);
}

function isObject(value: unknown): boolean {
  return value !== undefined && value !== null && typeof value === "object" && !Array.isArray(value);
}

/** The first message of a 400 answer whose errors are all BAD_USER_INPUT (the subgraph strips echoed input from it). */
function badInputFrom(error: Error): string | undefined {
  const body = error instanceof GraphQLError ? (error.extensions.response as { body?: unknown } | undefined)?.body : undefined;
  const errors = (body as { errors?: { message?: unknown; extensions?: { code?: unknown } }[] } | undefined)?.errors;
  if (!Array.isArray(errors) || errors.length === 0 || !errors.every((e) => e?.extensions?.code === ERROR_CODES.BAD_USER_INPUT)) return undefined;
  return typeof errors[0]!.message === "string" ? errors[0]!.message : undefined;
}
