/**
 * The gateway's subgraph client: forwards the caller's identity as a router-signed token
 * (`x-clinigraph-identity`, see platform identity.ts) and the request id, over the keep-alive fetcher.
 * Transport failures become a per-subgraph error (partial data for the rest of the query).
 */
import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from "@apollo/gateway";
import { GraphQLError } from "graphql";
import { ERROR_CODES, IDENTITY_HEADER, REQUEST_ID_HEADER, anonymous, signIdentity, type Logger } from "@clinigraph/platform";
import type { RouterContext } from "./context.js";
import { DEADLINE_HEADER, type Fetcher } from "./fetcher.js";
import { subgraphFailed, subgraphUnavailable } from "./errors.js";

export interface SubgraphDataSourceOptions {
  name: string;
  url: string;
  fetcher: Fetcher;
  routerSecrets: readonly string[];
  logger: Logger;
  /** Called once per request sent to the subgraph (metrics). */
  onRequest?: (subgraph: string) => void;
}

export class SubgraphDataSource extends RemoteGraphQLDataSource<RouterContext> {
  readonly name: string;
  private readonly routerSecrets: readonly string[];
  private readonly log: Logger;
  private readonly onRequest: ((subgraph: string) => void) | undefined;

  constructor(options: SubgraphDataSourceOptions) {
    super({ url: options.url, fetcher: options.fetcher });
    this.name = options.name;
    this.routerSecrets = options.routerSecrets;
    this.log = options.logger;
    this.onRequest = options.onRequest;
  }

  override async willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<RouterContext>): Promise<void> {
    const ctx = context as Partial<RouterContext>;
    const identity = ctx.identity ?? anonymous();
    // Gateway-internal requests (health checks) have no router context: they go out as anonymous.
    const token = ctx.identity ? (ctx.identityToken ??= signIdentity(identity, this.routerSecrets)) : signIdentity(identity, this.routerSecrets);
    request.http?.headers.set(IDENTITY_HEADER, await token);
    request.http?.headers.set(REQUEST_ID_HEADER, identity.requestId);
    if (ctx.deadline !== undefined) request.http?.headers.set(DEADLINE_HEADER, String(Math.max(0, ctx.deadline - Date.now())));
    this.onRequest?.(this.name);
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

/** The first message of a 400 answer whose errors are all BAD_USER_INPUT (the subgraph strips echoed input from it). */
function badInputFrom(error: Error): string | undefined {
  const body = error instanceof GraphQLError ? (error.extensions.response as { body?: unknown } | undefined)?.body : undefined;
  const errors = (body as { errors?: { message?: unknown; extensions?: { code?: unknown } }[] } | undefined)?.errors;
  if (!Array.isArray(errors) || errors.length === 0 || !errors.every((e) => e?.extensions?.code === ERROR_CODES.BAD_USER_INPUT)) return undefined;
  return typeof errors[0]!.message === "string" ? errors[0]!.message : undefined;
}
