/**
 * Router error policy, on top of platform's `createErrorFormatter`:
 * - errors a subgraph returned (the gateway tags them with `extensions.serviceName`) keep their
 *   message and code when the code is one of ours; anything else from upstream is masked, and no
 *   upstream payload (response bodies, stack traces, locations in the subgraph's query) passes through;
 * - a subgraph that cannot be reached becomes SERVICE_UNAVAILABLE for that subgraph only (the rest of
 *   the response still resolves);
 * - a parse failure that is not a syntax error (the parser ran out of stack) gets a plain syntax message;
 * - no message suggests schema names ("Did you mean …?");
 * - everything else goes through platform's formatter (DomainError codes, request errors, masking).
 */
import { GraphQLError, type GraphQLFormattedError } from "graphql";
import { ERROR_CODES, ERROR_REASONS, createErrorFormatter, isSubgraphErrorCode, type Logger } from "@clinigraph/platform";

/** A subgraph or the accounts JWKS did not answer: worth retrying later. */
export const SERVICE_UNAVAILABLE = ERROR_CODES.SERVICE_UNAVAILABLE;

export const subgraphUnavailable = (serviceName: string) =>
  new GraphQLError(`Service "${serviceName}" is unavailable`, { extensions: { code: SERVICE_UNAVAILABLE, serviceName } });

export const subgraphFailed = (serviceName: string) => new GraphQLError("Unexpected error", { extensions: { code: ERROR_CODES.INTERNAL, serviceName } });

export const unauthenticatedRequest = (message = "Invalid or expired access token") =>
  new GraphQLError(message, { extensions: { code: ERROR_CODES.UNAUTHENTICATED, http: { status: 401 } } });

/**
 * What a caller is told when the parser itself gave up (it ran out of call stack on a document nested a few
 * thousand levels deep, e.g. list literals, within the token limit) instead of the engine's own words.
 */
export const UNREADABLE_DOCUMENT = "Syntax Error: the document nests too deeply to be read";

export const authUnavailable = () =>
  new GraphQLError("Sign-in verification is temporarily unavailable", { extensions: { code: SERVICE_UNAVAILABLE, http: { status: 503 } } });

/**
 * graphql-js suggests names it knows ("Did you mean the enum value "ADMIN"?", "Did you mean "doctors"?") in
 * validation and variable errors. GraphQL Armor drops them from validation errors only: the schema is not
 * advertised through error messages either (introspection is off in production).
 */
export const withoutSuggestions = (message: string) => message.replace(/\s*Did you mean [^?]*\?/g, "");

export function createRouterErrorFormatter(logger: Logger, options: { exposeInternal?: boolean } = {}) {
  const format = createFormatter(logger, options);
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const out = format(formatted, error);
    const message = withoutSuggestions(out.message);
    return message === out.message ? out : { ...out, message };
  };
}

function createFormatter(logger: Logger, options: { exposeInternal?: boolean }) {
  const base = createErrorFormatter(logger, options);
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const serviceName = formatted.extensions?.serviceName;
    if (typeof serviceName === "string") return formatSubgraphError(formatted, serviceName, logger);
    if (formatted.extensions?.code === SERVICE_UNAVAILABLE) return { message: formatted.message, extensions: { code: SERVICE_UNAVAILABLE } };
    // graphql-js's syntax errors all say "Syntax Error"; anything else from parsing is the parser failing (RangeError).
    if (formatted.extensions?.code === ERROR_CODES.GRAPHQL_PARSE_FAILED && !formatted.message.startsWith("Syntax Error"))
      return { message: UNREADABLE_DOCUMENT, extensions: { code: ERROR_CODES.GRAPHQL_PARSE_FAILED } };
    return base(formatted, error);
  };
}

function formatSubgraphError(formatted: GraphQLFormattedError, serviceName: string, logger: Logger): GraphQLFormattedError {
  const code = formatted.extensions?.code;
  const { field, reason, retryAfter } = formatted.extensions ?? {};
  if (isSubgraphErrorCode(code)) {
    return {
      message: formatted.message,
      path: formatted.path,
      extensions: {
        code,
        serviceName,
        ...(typeof field === "string" ? { field } : {}),
        ...(typeof reason === "string" && Object.hasOwn(ERROR_REASONS, reason) ? { reason } : {}),
        ...(typeof retryAfter === "number" ? { retryAfter } : {}),
      },
    };
  }
  logger.error({ serviceName, code, path: formatted.path }, "unexpected subgraph error");
  return { message: "Unexpected error", path: formatted.path, extensions: { code: ERROR_CODES.INTERNAL, serviceName } };
}
