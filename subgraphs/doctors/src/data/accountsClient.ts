/**
 * The doctors subgraph's only way to the accounts subgraph: its GraphQL endpoint, called directly
 * (never its tables), with the caller's identity forwarded in the router-signed identity header, so
 * accounts applies its own rules to the original caller.
 *
 * Errors that accounts reports with a domain code (CONFLICT for a duplicate e-mail, BAD_USER_INPUT for
 * a weak password, FORBIDDEN, …) are passed on unchanged (code, message, field); anything else
 * (network failure, timeout, unexpected payload) is an internal error and is masked for the caller.
 */
import {
  DomainError,
  IDENTITY_HEADER,
  REQUEST_ID_HEADER,
  ROLES,
  isDomainErrorCode,
  signIdentity,
  type DomainErrorCode,
  type Identity,
  type Role,
} from "@clinigraph/platform";

export interface AccountsUser {
  id: string;
  role: Role;
  name: string;
}

export interface NewStaffUser {
  email: string;
  password: string;
  name: string;
  phone?: string | null;
  role: Role;
}

export interface AccountsClient {
  /** The user with this id, or null when accounts knows none. */
  findUser(id: string, caller: Identity): Promise<AccountsUser | null>;
  /** Creates a staff user (accounts requires the caller to be ADMIN). */
  createStaffUser(input: NewStaffUser, caller: Identity): Promise<AccountsUser>;
}

export interface HttpAccountsClientOptions {
  /** accounts' GraphQL endpoint, e.g. http://127.0.0.1:4001/graphql */
  url: string;
  routerSecrets: readonly string[];
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export class AccountsUnavailable extends Error {
  override name = "AccountsUnavailable";
}

const FIND_USER = `query FindUser($r: [_Any!]!) { _entities(representations: $r) { ... on User { id role name } } }`;
const CREATE_STAFF_USER = `mutation CreateStaffUser($input: CreateStaffUserInput!) { createStaffUser(input: $input) { id role name } }`;

/** Codes of accounts' errors that mean something to our caller and are passed on as they are. */
const PASSED_ON: ReadonlySet<string> = new Set<DomainErrorCode>(["BAD_USER_INPUT", "CONFLICT", "NOT_FOUND", "FORBIDDEN", "UNAUTHENTICATED"]);

interface GraphQLResponse<T> {
  data?: T | null;
  errors?: { message?: unknown; extensions?: { code?: unknown; field?: unknown } }[];
}

export function createHttpAccountsClient(options: HttpAccountsClientOptions): AccountsClient {
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 5_000;

  async function call<T>(query: string, variables: Record<string, unknown>, caller: Identity): Promise<T> {
    let response: Response;
    try {
      response = await doFetch(options.url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          accept: "application/json",
          [IDENTITY_HEADER]: await signIdentity(caller, options.routerSecrets),
          [REQUEST_ID_HEADER]: caller.requestId,
        },
        body: JSON.stringify({ query, variables }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      throw new AccountsUnavailable(`accounts did not answer: ${(err as Error).name}`);
    }
    // Apollo answers 200, or 400 for invalid variables; anything else (401: our identity was refused,
    // 5xx) is a fault between the services, not the caller's.
    if (response.status !== 200 && response.status !== 400) throw new AccountsUnavailable(`accounts answered HTTP ${response.status}`);
    let body: GraphQLResponse<T>;
    try {
      body = (await response.json()) as GraphQLResponse<T>;
    } catch {
      throw new AccountsUnavailable("accounts answered with a body that is not JSON");
    }
    const first = body.errors?.[0];
    if (first) {
      const code = first.extensions?.code;
      if (isDomainErrorCode(code) && PASSED_ON.has(code) && typeof first.message === "string") {
        const field = typeof first.extensions?.field === "string" ? first.extensions.field : undefined;
        throw new DomainError(code, first.message, { field });
      }
      throw new AccountsUnavailable(`accounts answered with an error (${typeof code === "string" ? code : "no code"})`);
    }
    if (!body.data) throw new AccountsUnavailable("accounts answered without data");
    return body.data;
  }

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
