/**
 * Typed domain errors, mapped once (in `formatError`) to GraphQL `extensions.code`.
 * Anything that is not a DomainError or a GraphQL request error is masked as INTERNAL.
 * Messages must never contain patient data: they are shown to callers and written to logs.
 */
import { GraphQLError, type GraphQLFormattedError } from "graphql";
import { unwrapResolverError } from "@apollo/server/errors";
import type { Logger } from "./logger.js";
import { ScalarInputError } from "./scalars.js";

export type ErrorCode = "UNAUTHENTICATED" | "FORBIDDEN" | "BAD_USER_INPUT" | "NOT_FOUND" | "CONFLICT" | "RATE_LIMITED" | "SERVICE_UNAVAILABLE" | "INTERNAL";

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** The input field at fault, e.g. "input.password". */
    readonly field?: string,
  ) {
    super(message);
    this.name = "DomainError";
  }
}

export const badInput = (message: string, field?: string) => new DomainError("BAD_USER_INPUT", message, field);
export const notFound = (message: string) => new DomainError("NOT_FOUND", message);
export const forbidden = (message = "You are not allowed to do this") => new DomainError("FORBIDDEN", message);
export const unauthenticated = (message = "Sign in first") => new DomainError("UNAUTHENTICATED", message);
export const conflict = (message: string, field?: string) => new DomainError("CONFLICT", message, field);
export const rateLimited = (message: string) => new DomainError("RATE_LIMITED", message);
/** Another service this one needs did not answer; the caller may retry. */
export const serviceUnavailable = (message: string) => new DomainError("SERVICE_UNAVAILABLE", message);

/** Error codes produced by GraphQL itself (parse/validation/variables), passed through as they are. */
const REQUEST_ERROR_CODES = new Set([
  "GRAPHQL_PARSE_FAILED",
  "GRAPHQL_VALIDATION_FAILED",
  "BAD_USER_INPUT",
  "BAD_REQUEST",
  "PERSISTED_QUERY_NOT_FOUND",
  "PERSISTED_QUERY_NOT_SUPPORTED",
  "OPERATION_RESOLUTION_FAILURE",
]);

/**
 * Builds Apollo Server's `formatError`: DomainErrors keep their code (and field), GraphQL request errors
 * pass through, every other error becomes `{ message: "Unexpected error", code: INTERNAL }` and is logged
 * with its stack on the server side only.
 */
export function createErrorFormatter(logger: Logger, options: { exposeInternal?: boolean } = {}) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    if (original instanceof DomainError) {
      return {
        message: original.message,
        locations: formatted.locations,
        path: formatted.path,
        extensions: { code: original.code, ...(original.field ? { field: original.field } : {}) },
      };
    }
    const code = formatted.extensions?.code;
    // A custom scalar (Date, DateTime) refusing a literal in the document surfaces as a validation error; it
    // is the caller's value, as when the same value comes in a variable: BAD_USER_INPUT.
    if (code === "GRAPHQL_VALIDATION_FAILED" && isScalarRefusal(original)) {
      const { stacktrace: _stack, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions: { ...extensions, code: "BAD_USER_INPUT" } };
    }
    if (typeof code === "string" && (REQUEST_ERROR_CODES.has(code) || isDomainCode(code))) {
      const { stacktrace: _stack, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions };
    }
    if (original instanceof GraphQLError && !original.originalError && !code) {
      return { message: formatted.message, locations: formatted.locations, extensions: { code: "BAD_USER_INPUT" } };
    }
    logger.error({ err: original, path: formatted.path }, "unexpected error");
    return {
      message: options.exposeInternal && original instanceof Error ? original.message : "Unexpected error",
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: "INTERNAL" },
    };
  };
}

/** graphql-js reports a scalar's own GraphQLError as the validation error (Apollo keeps it as originalError). */
const isScalarRefusal = (error: unknown) => error instanceof GraphQLError && error.originalError instanceof ScalarInputError;

function isDomainCode(code: string): code is ErrorCode {
  return ["UNAUTHENTICATED", "FORBIDDEN", "NOT_FOUND", "CONFLICT", "RATE_LIMITED", "SERVICE_UNAVAILABLE"].includes(code);
}
