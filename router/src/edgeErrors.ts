/**
 * Errors the router's edge answers by itself, before any subgraph is called: an operation outside the
 * safelist, a caller over its rate limit, a request past its deadline, a persisted-query hash that does
 * not match its query. Each carries `extensions.code` and the HTTP status (and headers) of its answer.
 * Over WebSocket there is no HTTP head: `ws` variants leave it out.
 */
import { GraphQLError, type GraphQLFormattedError } from "graphql";
import { HeaderMap } from "@apollo/server";
import { ERROR_CODES } from "@clinigraph/platform";

export const NOT_IN_SAFELIST = ERROR_CODES.PERSISTED_QUERY_NOT_IN_SAFELIST;
export const HASH_MISMATCH = ERROR_CODES.PERSISTED_QUERY_HASH_MISMATCH;
export const RATE_LIMITED = ERROR_CODES.RATE_LIMITED;
export const GATEWAY_TIMEOUT = ERROR_CODES.GATEWAY_TIMEOUT;

const EDGE_CODES: ReadonlySet<string> = new Set([NOT_IN_SAFELIST, HASH_MISMATCH, RATE_LIMITED, GATEWAY_TIMEOUT]);

type Transport = "http" | "ws";

export const notInSafelist = (transport: Transport = "http") =>
  new GraphQLError("This operation is not in the router's safelist of persisted operations", {
    extensions: { code: NOT_IN_SAFELIST, ...(transport === "http" ? { http: { status: 400 } } : {}) },
  });

export const hashMismatch = () =>
  new GraphQLError("The persisted query id does not match the query sent with it", { extensions: { code: HASH_MISMATCH, http: { status: 400 } } });

/** Automatic persisted queries: only version 1 of the protocol exists. */
export const unsupportedPersistedQueryVersion = () =>
  new GraphQLError("Unsupported persisted query version", { extensions: { code: ERROR_CODES.BAD_REQUEST, http: { status: 400 } } });

export const rateLimited = (retryAfterSeconds: number, transport: Transport = "http") =>
  new GraphQLError(`Too many requests: retry in ${retryAfterSeconds} s`, {
    extensions: {
      code: RATE_LIMITED,
      retryAfter: retryAfterSeconds,
      ...(transport === "http" ? { http: { status: 429, headers: new HeaderMap([["retry-after", String(retryAfterSeconds)]]) } } : {}),
    },
  });

/** The body of a 504 answer (written by the HTTP handler itself: Apollo is still busy with the request). */
export const gatewayTimeoutBody = (timeoutMs: number) => ({
  errors: [{ message: `The request did not complete within ${timeoutMs} ms`, extensions: { code: GATEWAY_TIMEOUT } }],
});

/**
 * Wraps the router's `formatError`: edge errors pass through as they are (code, message and
 * `retryAfter`, never a stack trace); the rest goes to `format`.
 */
export function withEdgeErrors(format: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    if (formatted.extensions?.serviceName !== undefined) return format(formatted, error); // a subgraph's error
    const code = formatted.extensions?.code;
    if (typeof code === "string" && EDGE_CODES.has(code)) {
      const retryAfter = formatted.extensions?.retryAfter;
      return { message: formatted.message, extensions: { code, ...(typeof retryAfter === "number" ? { retryAfter } : {}) } };
    }
    return format(formatted, error);
  };
}
