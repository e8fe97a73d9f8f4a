/**
 * The doctors subgraph's only way to the accounts subgraph: its GraphQL endpoint, called directly
 * (never its tables) through `callSubgraphAs`, with the caller's identity signed as the router signs it,
 * so accounts applies its own rules to the original caller.
 *
 * Errors that accounts reports with a domain code (CONFLICT for a duplicate e-mail, BAD_USER_INPUT for
 * a weak password, FORBIDDEN, …) are passed on unchanged (code, message, field, reason); anything else
 * (network failure, timeout, a refused identity, unexpected payload) is AccountsUnavailable, an internal
 * error masked for the caller.
 */
import {
  AccountsUnavailable,
  DomainError,
  ERROR_REASONS,
  ROLES,
  callSubgraphAs,
  isDomainErrorCode,
  type DomainErrorCode,
  type ErrorReason,
  type Identity,
  type Role,
  type SubgraphError,
} from "@clinigraph/platform";
import type { AccountsClient, AccountsUser } from "../domain/ports.js";

export { AccountsUnavailable };
export type { AccountsClient, AccountsUser, NewStaffUser } from "../domain/ports.js";

export interface HttpAccountsClientOptions {
  /** accounts' GraphQL endpoint, e.g. http://127.0.0.1:4001/graphql */
  url: string;
  routerSecrets: readonly string[];
  timeoutMs?: number;
}

const FIND_USER = `query FindUser($r: [_Any!]!) { _entities(representations: $r) { ... on User { id role name } } }`;
const CREATE_STAFF_USER = `mutation CreateStaffUser($input: CreateStaffUserInput!) { createStaffUser(input: $input) { id role name } }`;

/** Codes of accounts' errors that mean something to our caller and are passed on as they are. */
const PASSED_ON: ReadonlySet<string> = new Set<DomainErrorCode>(["BAD_USER_INPUT", "CONFLICT", "NOT_FOUND", "FORBIDDEN", "UNAUTHENTICATED"]);

/** accounts' error as a DomainError with its code, message, field and reason, or undefined when it is none of ours. */
function passedOn(error: SubgraphError): DomainError | undefined {
  const { code, field, reason } = error.extensions ?? {};
  if (!isDomainErrorCode(code) || !PASSED_ON.has(code) || typeof error.message !== "string") return undefined;
  const knownReason = typeof reason === "string" && reason in ERROR_REASONS && ERROR_REASONS[reason as ErrorReason].code === code;
  return new DomainError(code, error.message, {
    field: typeof field === "string" ? field : undefined,
    reason: knownReason ? (reason as ErrorReason) : undefined,
  });
}

export function createHttpAccountsClient(options: HttpAccountsClientOptions): AccountsClient {
  const call = <T>(query: string, variables: Record<string, unknown>, caller: Identity) =>
    callSubgraphAs<T>({
      ...options,
      caller,
      query,
      variables,
      passOn: passedOn,
      unavailable: (message) => new AccountsUnavailable(`accounts ${message}`),
    });

  return {
    async findUser(id, caller) {
      const data = await call<{ _entities?: unknown[] }>(FIND_USER, { r: [{ __typename: "User", id }] }, caller);
      const user = data._entities?.[0];
      if (user === null || user === undefined) return null;
      return asUser(user);
    },
    async createStaffUser(input, caller) {
      const { email, password, name, phone, role } = input;
      const data = await call<{ createStaffUser?: unknown }>(CREATE_STAFF_USER, { input: { email, password, name, phone: phone ?? null, role } }, caller);
      return asUser(data.createStaffUser);
    },
  };
}

function asUser(value: unknown): AccountsUser {
  const user = value as Partial<AccountsUser> | null | undefined;
  if (!user || typeof user.id !== "string" || !(ROLES as readonly unknown[]).includes(user.role) || typeof user.name !== "string") {
    throw new AccountsUnavailable("accounts answered with an unexpected user payload");
  }
  return { id: user.id, role: user.role as Role, name: user.name };
}
