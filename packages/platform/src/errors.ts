/**
 * Typed domain errors, mapped once (in `formatError`) to GraphQL `extensions.code`.
 * Anything that is not a DomainError or a GraphQL request error is masked as INTERNAL.
 * Messages must never contain patient data: they are shown to callers and written to logs.
 */
import { GraphQLError, type GraphQLFormattedError } from "graphql";
import { unwrapResolverError } from "@apollo/server/errors";
import type { Logger } from "./logger.js";
import { ScalarInputError } from "./scalars.js";
import { isDatabaseBusy } from "./sql.js";

/**
 * Every `extensions.code` a caller can meet, from any subgraph or the router. Clients branch on these (and on
 * `extensions.reason`, below), never on message text.
 */
export const ERROR_CODES = {
  /** No valid sign-in: missing, expired or revoked token, ended session. */
  UNAUTHENTICATED: "UNAUTHENTICATED",
  /** Signed in, but not allowed to do this. */
  FORBIDDEN: "FORBIDDEN",
  /** The input is wrong; `extensions.field` names the argument at fault when there is one. */
  BAD_USER_INPUT: "BAD_USER_INPUT",
  NOT_FOUND: "NOT_FOUND",
  /** The request is valid but the state does not allow it now; `extensions.reason` says why. */
  CONFLICT: "CONFLICT",
  /** Too many requests or attempts; `extensions.retryAfter` (seconds) when known. */
  RATE_LIMITED: "RATE_LIMITED",
  /** A service this one needs did not answer; retrying later may work. */
  SERVICE_UNAVAILABLE: "SERVICE_UNAVAILABLE",
  /** Anything unexpected; details are in the server's log only. */
  INTERNAL: "INTERNAL",
  /** The document is not GraphQL. */
  GRAPHQL_PARSE_FAILED: "GRAPHQL_PARSE_FAILED",
  /** The document does not fit the schema (or exceeds the router's depth, alias and cost limits). */
  GRAPHQL_VALIDATION_FAILED: "GRAPHQL_VALIDATION_FAILED",
  /** The HTTP request itself is malformed. */
  BAD_REQUEST: "BAD_REQUEST",
  /** The document names several operations and no operationName picks one. */
  OPERATION_RESOLUTION_FAILURE: "OPERATION_RESOLUTION_FAILURE",
  /** Automatic persisted queries: the hash is unknown; send the query with it once. */
  PERSISTED_QUERY_NOT_FOUND: "PERSISTED_QUERY_NOT_FOUND",
  PERSISTED_QUERY_NOT_SUPPORTED: "PERSISTED_QUERY_NOT_SUPPORTED",
  /** The router runs with a safelist and this operation is not on it. */
  PERSISTED_QUERY_NOT_IN_SAFELIST: "PERSISTED_QUERY_NOT_IN_SAFELIST",
  /** A persisted query's hash does not match the query sent with it. */
  PERSISTED_QUERY_HASH_MISMATCH: "PERSISTED_QUERY_HASH_MISMATCH",
  /** The request ran past the router's deadline (HTTP 504). */
  GATEWAY_TIMEOUT: "GATEWAY_TIMEOUT",
} as const;
export type ErrorCode = keyof typeof ERROR_CODES;

/** The codes a use case raises (DomainError); the rest come from GraphQL itself or the router's edge. */
export type DomainErrorCode = "UNAUTHENTICATED" | "FORBIDDEN" | "BAD_USER_INPUT" | "NOT_FOUND" | "CONFLICT" | "RATE_LIMITED" | "SERVICE_UNAVAILABLE";
const DOMAIN_CODES: ReadonlySet<string> = new Set<DomainErrorCode>([
  "UNAUTHENTICATED",
  "FORBIDDEN",
  "BAD_USER_INPUT",
  "NOT_FOUND",
  "CONFLICT",
  "RATE_LIMITED",
  "SERVICE_UNAVAILABLE",
]);
export const isDomainErrorCode = (code: unknown): code is DomainErrorCode => typeof code === "string" && DOMAIN_CODES.has(code);
/** Codes a subgraph may answer with that the router passes on to the caller (the others are masked as INTERNAL). */
export const isSubgraphErrorCode = (code: unknown): code is DomainErrorCode | "INTERNAL" => code === "INTERNAL" || isDomainErrorCode(code);

/**
 * Business reasons: `extensions.reason` beside the code, so a client tells "slot taken" from "daily limit reached"
 * without reading the message. Each reason belongs to one code.
 */
export const ERROR_REASONS = {
  // accounts
  EMAIL_TAKEN: { code: "CONFLICT", description: "An account with this e-mail already exists" },
  ALREADY_EXISTS: { code: "CONFLICT", description: "Another record already holds this unique value (e.g. a national id)" },
  TOO_MANY_SIGN_INS: { code: "RATE_LIMITED", description: "Too many failed sign-ins for this account or from this address" },
  TOO_MANY_REGISTRATIONS: { code: "RATE_LIMITED", description: "Too many registrations from this address" },
  ACCOUNT_DEACTIVATED: { code: "FORBIDDEN", description: "The account is deactivated (said only after the right password or a valid refresh token)" },
  TOO_MANY_EMAIL_CHANGES: { code: "RATE_LIMITED", description: "Too many e-mail change requests for this account" },
  // doctors
  ALREADY_A_DOCTOR: { code: "CONFLICT", description: "The user already has a doctor profile" },
  // scheduling
  SLOT_TAKEN: { code: "CONFLICT", description: "Somebody else holds the slot" },
  BOOKING_LIMIT_REACHED: { code: "CONFLICT", description: "The patient already has the allowed number of appointments with this doctor that day" },
  HOLD_EXPIRED: { code: "CONFLICT", description: "The request was not answered in time and has expired" },
  SAME_SLOT: { code: "CONFLICT", description: "The appointment is already at this time" },
  NOT_DUE_YET: { code: "CONFLICT", description: "Too early for this step (e.g. a no-show before the appointment's time)" },
  FEEDBACK_ALREADY_GIVEN: { code: "CONFLICT", description: "Feedback on this appointment was already given" },
  // clinical
  ALREADY_ORDERED: { code: "CONFLICT", description: "This examination is already ordered for the encounter" },
  EXAMINATIONS_PENDING: { code: "CONFLICT", description: "Examinations are still ordered; wait for them or cancel them first" },
  OUTCOME_ALREADY_CONFIRMED: { code: "CONFLICT", description: "Reception already confirmed the outcome of this visit" },
  RECORD_SIGNED: { code: "CONFLICT", description: "A signed record entry cannot change; amend it with a reason" },
  // billing
  PRICE_MISSING: { code: "CONFLICT", description: "A line of the invoice has no price for the visit day; set the service's price first" },
  INVOICE_NOT_PAYABLE: { code: "CONFLICT", description: "The invoice is not open for payment (a draft, already paid, or void)" },
  IDEMPOTENCY_KEY_REUSED: { code: "CONFLICT", description: "This idempotency key was used for another request (another invoice or amount)" },
  REFUND_EXCEEDS_PAID: { code: "CONFLICT", description: "The refund is larger than what the payment brought and was not refunded yet" },
  ALREADY_PREPAID: { code: "CONFLICT", description: "The appointment is already paid ahead" },
  // any subgraph
  INVALID_STATE: { code: "CONFLICT", description: "The record's status does not allow this action now" },
  CHANGED_MEANWHILE: { code: "CONFLICT", description: "Someone changed the record meanwhile; reload it and try again" },
} as const satisfies Record<string, { code: DomainErrorCode; description: string }>;
export type ErrorReason = keyof typeof ERROR_REASONS;
/** The reasons that go with `code`. */
export type ReasonOf<C extends DomainErrorCode> = { [R in ErrorReason]: (typeof ERROR_REASONS)[R]["code"] extends C ? R : never }[ErrorReason];

export interface DomainErrorDetails {
  /** The input field at fault, e.g. "input.password". */
  field?: string;
  /** The business reason (extensions.reason). */
  reason?: ErrorReason;
  /** Seconds after which a retry may succeed (extensions.retryAfter). */
  retryAfter?: number;
}

export class DomainError extends Error {
  readonly field?: string;
  readonly reason?: ErrorReason;
  readonly retryAfter?: number;
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    details: DomainErrorDetails = {},
  ) {
    super(message);
    this.name = "DomainError";
    const { field, reason, retryAfter } = details;
    if (reason !== undefined && ERROR_REASONS[reason].code !== code) throw new Error(`Reason ${reason} belongs to ${ERROR_REASONS[reason].code}, not ${code}`);
    if (field !== undefined) this.field = field;
    if (reason !== undefined) this.reason = reason;
    if (retryAfter !== undefined) this.retryAfter = retryAfter;
  }

  /** What goes into `extensions` besides the code. */
  get extensions(): Record<string, string | number> {
    return {
      code: this.code,
      ...(this.field !== undefined ? { field: this.field } : {}),
      ...(this.reason !== undefined ? { reason: this.reason } : {}),
      ...(this.retryAfter !== undefined ? { retryAfter: this.retryAfter } : {}),
    };
  }
}

export class BadInputError extends DomainError {
  constructor(message: string, field?: string) {
    super("BAD_USER_INPUT", message, { field });
  }
}
export class NotFoundError extends DomainError {
  constructor(message: string) {
    super("NOT_FOUND", message);
  }
}
export class ForbiddenError extends DomainError {
  constructor(message = "You are not allowed to do this") {
    super("FORBIDDEN", message);
  }
}
export class UnauthenticatedError extends DomainError {
  constructor(message = "Sign in first") {
    super("UNAUTHENTICATED", message);
  }
}
export class ConflictError extends DomainError {
  constructor(message: string, details: { reason: ReasonOf<"CONFLICT">; field?: string }) {
    super("CONFLICT", message, details);
  }
}
export class RateLimitedError extends DomainError {
  constructor(message: string, details: { reason?: ReasonOf<"RATE_LIMITED">; retryAfter?: number } = {}) {
    super("RATE_LIMITED", message, details);
  }
}
/** Another service this one needs did not answer; the caller may retry. */
export class ServiceUnavailableError extends DomainError {
  constructor(message: string) {
    super("SERVICE_UNAVAILABLE", message);
  }
}

export const badInput = (message: string, field?: string) => new BadInputError(message, field);
export const notFound = (message: string) => new NotFoundError(message);
export const forbidden = (message?: string) => new ForbiddenError(message);
export const unauthenticated = (message?: string) => new UnauthenticatedError(message);
/** A CONFLICT: every conflict names its reason. */
export const conflict = (message: string, reason: ReasonOf<"CONFLICT">, field?: string) => new ConflictError(message, { reason, field });
export const rateLimited = (message: string, details?: { reason?: ReasonOf<"RATE_LIMITED">; retryAfter?: number }) => new RateLimitedError(message, details);
export const serviceUnavailable = (message: string) => new ServiceUnavailableError(message);

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
        extensions: original.extensions,
      };
    }
    const code = formatted.extensions?.code;
    // A custom scalar (Date, DateTime) refusing a literal in the document surfaces as a validation error; it
    // is the caller's value, as when the same value comes in a variable: BAD_USER_INPUT.
    if (code === "GRAPHQL_VALIDATION_FAILED" && isScalarRefusal(original)) {
      const { stacktrace: _stack, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions: { ...extensions, code: "BAD_USER_INPUT" } };
    }
    if (typeof code === "string" && (REQUEST_ERROR_CODES.has(code) || isDomainErrorCode(code))) {
      const { stacktrace: _stack, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions };
    }
    if (original instanceof GraphQLError && !original.originalError && !code) {
      return { message: formatted.message, locations: formatted.locations, extensions: { code: "BAD_USER_INPUT" } };
    }
    // Every database connection busy (or the server refusing new ones): the caller may try again shortly.
    if (isDatabaseBusy(original)) {
      logger.warn({ err: original, path: formatted.path }, "database busy: answered SERVICE_UNAVAILABLE");
      return {
        message: "The service is busy; try again in a moment",
        locations: formatted.locations,
        path: formatted.path,
        extensions: { code: "SERVICE_UNAVAILABLE", retryAfter: 1 },
      };
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
