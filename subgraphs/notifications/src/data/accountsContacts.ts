/**
 * Contact details from accounts (sealed at rest there, ADR 0003; never stored here):
 * - `phoneOf`: asked as the user themselves over GraphQL (accounts applies its own rules to the call);
 * - `contactsOf`: asked at send time with the notifications service's own identity (no user, no role) on accounts'
 *   service endpoint `POST /internal/contacts`, in batches of at most 500 ids.
 */
import { randomUUID } from "node:crypto";
import { callSubgraphAs, IDENTITY_HEADER, isUuid, REQUEST_ID_HEADER, signIdentity, injectTraceHeaders } from "@clinigraph/platform";
import { ContactsUnavailable, type Contact, type ContactDirectory } from "../domain/ports.js";

export interface AccountsContactsOptions {
  /** accounts' GraphQL endpoint (e.g. http://127.0.0.1:4001/graphql); its service endpoints share the origin. */
  url: string;
  routerSecrets: readonly string[];
  /** Timeout of one request to accounts, milliseconds (default 5 000). */
  timeoutMs?: number;
}

/** At most this many ids per request (accounts' limit). */
const BATCH = 500;

export function createAccountsContacts(options: AccountsContactsOptions): ContactDirectory {
  const contactsUrl = new URL("/internal/contacts", options.url).href;
  const timeoutMs = options.timeoutMs ?? 5_000;

  /** One batch; the message of what it throws names the status or the failure, never the ids or the answer. */
  async function askBatch(userIds: readonly string[]): Promise<Contact[]> {
    const requestId = `notifications:${randomUUID()}`;
    let res: Response;
    let body: unknown;
    try {
      res = await fetch(contactsUrl, {
        method: "POST",
        headers: injectTraceHeaders({
          "content-type": "application/json",
          [IDENTITY_HEADER]: await signIdentity({ userId: null, role: null, requestId }, options.routerSecrets),
          [REQUEST_ID_HEADER]: requestId,
        }),
        body: JSON.stringify({ userIds }),
        signal: AbortSignal.timeout(timeoutMs),
      });
      body = await res.json().catch(() => undefined);
    } catch (err) {
      throw new ContactsUnavailable(`accounts: contacts ${failureOf(err, timeoutMs)}`);
    }
    if (res.status !== 200) throw new ContactsUnavailable(`accounts: contacts answered HTTP ${res.status}`);
    const contacts = (body as { contacts?: unknown } | undefined)?.contacts;
    if (!Array.isArray(contacts) || !contacts.every(isContact)) throw new ContactsUnavailable("accounts: contacts answered an unexpected shape");
    return contacts.map(({ userId, name, email, phone }) => ({ userId, name, email, phone }));
  }

  return {
    async phoneOf(actor) {
      const data = await callSubgraphAs<{ me: { phone: string | null } | null }>({
        ...options,
        caller: { userId: actor.userId, role: actor.role, requestId: actor.requestId },
        query: "query NotificationsContact { me { phone } }",
        unavailable: (message) => new ContactsUnavailable(`accounts: ${message}`),
      });
      return data.me?.phone ?? null;
    },

    async contactsOf(userIds) {
      // An id that is no UUID names no account: left out like an unknown one, rather than failing its whole batch.
      const unique = [...new Set(userIds.filter(isUuid))];
      const found: Contact[] = [];
      for (let i = 0; i < unique.length; i += BATCH) found.push(...(await askBatch(unique.slice(i, i + BATCH))));
      return found;
    },
  };
}

const isNullableString = (value: unknown): value is string | null => value === null || typeof value === "string";

/** One entry of accounts' answer: `{ userId, name, email, phone, role }` (role is not used here). */
function isContact(value: unknown): value is Contact {
  if (typeof value !== "object" || value === null) return false;
  const entry = value as Record<string, unknown>;
  return typeof entry.userId === "string" && isNullableString(entry.name) && isNullableString(entry.email) && isNullableString(entry.phone);
}

/** Why a request got no answer: the timeout, or the network error's code (e.g. ECONNREFUSED). */
function failureOf(err: unknown, timeoutMs: number): string {
  // By name: the abort's DOMException may come from another realm than this module's Error.
  const { name, cause } = (typeof err === "object" && err !== null ? err : {}) as { name?: unknown; cause?: { code?: unknown } };
  if (name === "TimeoutError" || name === "AbortError") return `no answer within ${timeoutMs} ms`;
  const code = cause?.code;
  return typeof code === "string" ? `unreachable (${code})` : "unreachable";
}
