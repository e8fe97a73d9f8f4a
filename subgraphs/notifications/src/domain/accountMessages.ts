/**
 * Messages about a user's account that another Clinigraph service asks for and that go out at once, by e-mail, to an
 * address the caller gives (accounts' e-mail change: the code to the NEW address, the notice to an address that is
 * taken, the notice to the OLD address): `POST /internal/messages`, service identities only.
 *
 * The message is written in the user's language (their stored preference; else the `locale` the caller gives when it
 * is one of ours; else en), sent through the e-mail channel and recorded in the delivery log like every other message:
 * kind, channel, subject, status — never the body, the address or the code (a subject never holds the code; should a
 * template put it there, the log keeps it masked). A `messageId` makes the request idempotent: a message already sent
 * under that id is not sent again (a failed one is tried again; one another request is sending is left to it).
 */
import { randomUUID } from "node:crypto";
import { badInput, conflict, forbidden, isUuid, serviceUnavailable, type Identity } from "@clinigraph/platform";
import type { Deps } from "./deps.js";
import type { MessageFacts, NotificationKind } from "./messages.js";
import { DeliveryFailure } from "./ports.js";
import { LANGUAGES, type Language } from "./types.js";

export const ACCOUNT_MESSAGE_KINDS = ["EMAIL_CHANGE_CODE", "EMAIL_CHANGE_TAKEN", "EMAIL_CHANGED"] as const satisfies readonly NotificationKind[];
export type AccountMessageKind = (typeof ACCOUNT_MESSAGE_KINDS)[number];

export const isAccountMessageKind = (kind: string): kind is AccountMessageKind => (ACCOUNT_MESSAGE_KINDS as readonly string[]).includes(kind);

/** A request another service makes, validated. */
export interface AccountMessage {
  kind: AccountMessageKind;
  userId: string;
  to: string;
  locale: string | null;
  messageId: string | null;
  code: string | null;
  validMinutes: number | null;
  maskedNewEmail: string | null;
}

export interface AccountMessageOutcome {
  /** The delivery log's entry. */
  id: string;
  /** SENT, or SENDING: another request with the same messageId is sending it right now. */
  status: "SENT" | "SENDING";
  /** True when the messageId had been seen before (nothing was sent this time). */
  duplicate: boolean;
}

/** A send that stayed SENDING this long (its process died mid-send) may be taken over by a retry with its messageId. */
export const STALE_SEND_MS = 2 * 60_000;

const TOP_LEVEL = new Set(["kind", "userId", "to", "locale", "messageId", "params"]);
const PARAMS: Record<AccountMessageKind, { required: readonly string[]; allowed: readonly string[] }> = {
  EMAIL_CHANGE_CODE: { required: ["code"], allowed: ["code", "validMinutes"] },
  EMAIL_CHANGE_TAKEN: { required: [], allowed: [] },
  EMAIL_CHANGED: { required: ["maskedNewEmail"], allowed: ["maskedNewEmail"] },
};
const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]+$/;
const LOCALE = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;
const MESSAGE_ID = /^[A-Za-z0-9._:-]{1,200}$/;
const MASKED = /^[^\s@<>]{1,64}@[^\s@<>]{1,190}$/;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/** The request's body, checked strictly (BAD_USER_INPUT naming the field; unknown fields are refused too). */
export function parseAccountMessage(body: unknown): AccountMessage {
  if (!isRecord(body)) throw badInput("The body must be a JSON object");
  for (const key of Object.keys(body)) if (!TOP_LEVEL.has(key)) throw badInput(`Unknown field ${key}`, key);
  const { kind, userId, to, locale, messageId, params = {} } = body;
  if (typeof kind !== "string" || !isAccountMessageKind(kind)) throw badInput(`kind must be one of ${ACCOUNT_MESSAGE_KINDS.join(", ")}`, "kind");
  if (typeof userId !== "string" || !isUuid(userId)) throw badInput("userId must be a user id", "userId");
  if (typeof to !== "string" || to.length > 254 || !EMAIL.test(to)) throw badInput("to must be an e-mail address", "to");
  if (locale !== undefined && locale !== null && (typeof locale !== "string" || !LOCALE.test(locale)))
    throw badInput("locale must be a language tag, e.g. ko or fr-CA", "locale");
  if (messageId !== undefined && messageId !== null && (typeof messageId !== "string" || !MESSAGE_ID.test(messageId)))
    throw badInput("messageId must be 1 to 200 letters, digits or . _ : -", "messageId");
  if (!isRecord(params)) throw badInput("params must be an object", "params");
  const rules = PARAMS[kind];
  for (const key of Object.keys(params)) if (!rules.allowed.includes(key)) throw badInput(`${kind} takes no ${key}`, `params.${key}`);
  for (const key of rules.required) if (params[key] === undefined || params[key] === null) throw badInput(`${kind} needs ${key}`, `params.${key}`);
  const { code, validMinutes, maskedNewEmail } = params;
  if (code !== undefined && (typeof code !== "string" || !/^\d{6}$/.test(code))) throw badInput("code must be 6 digits", "params.code");
  if (validMinutes !== undefined && (typeof validMinutes !== "number" || !Number.isInteger(validMinutes) || validMinutes < 1 || validMinutes > 1440))
    throw badInput("validMinutes must be a whole number of minutes, 1 to 1440", "params.validMinutes");
  if (maskedNewEmail !== undefined && (typeof maskedNewEmail !== "string" || !MASKED.test(maskedNewEmail)))
    throw badInput("maskedNewEmail must be a masked e-mail address", "params.maskedNewEmail");
  return {
    kind,
    userId: userId.toLowerCase(),
    to,
    locale: (locale as string | null | undefined) ?? null,
    messageId: (messageId as string | null | undefined) ?? null,
    code: (code as string | undefined) ?? null,
    validMinutes: (validMinutes as number | undefined) ?? null,
    maskedNewEmail: (maskedNewEmail as string | undefined) ?? null,
  };
}

/** The user's stored language; else the locale's language when we write it; else en. */
export function languageFor(stored: Language | null, locale: string | null): Language {
  if (stored) return stored;
  const primary = locale?.split("-")[0]?.toLowerCase();
  return primary && (LANGUAGES as readonly string[]).includes(primary) ? (primary as Language) : "en";
}

/** Only another Clinigraph service (its own identity: no user, no role, not from a browser) may ask. */
function requireService(caller: Identity): void {
  if (caller.userId !== null || caller.role !== null || caller.clientIp !== undefined) throw forbidden("Only Clinigraph services may ask this");
}

/**
 * Sends one account message at once (see the top of this file). FORBIDDEN for a caller that is not a service (before
 * the body is looked at), BAD_USER_INPUT for a bad body, CONFLICT when the messageId names another message,
 * SERVICE_UNAVAILABLE when the e-mail could not be sent (the log says FAILED; a retry with the same messageId tries again).
 */
export async function sendAccountMessage(
  deps: Pick<Deps, "accountMessages" | "preferences" | "channels" | "render" | "dispatch" | "clock" | "logger" | "metrics">,
  caller: Identity,
  body: unknown,
): Promise<AccountMessageOutcome> {
  requireService(caller);
  const message = parseAccountMessage(body);
  const now = deps.clock();
  const claim = await deps.accountMessages.claim(
    { dedupeKey: `message:${message.messageId ?? randomUUID()}`, recipientId: message.userId, kind: message.kind },
    now,
    new Date(now.getTime() - STALE_SEND_MS),
  );
  if (claim.mismatch) throw conflict("This messageId was used for another message", "IDEMPOTENCY_KEY_REUSED", "messageId");
  if (!claim.claimed) {
    if (claim.status === "SENT") return { id: claim.id, status: "SENT", duplicate: true };
    if (claim.status === "SENDING") return { id: claim.id, status: "SENDING", duplicate: true };
    throw serviceUnavailable("The message could not be sent; try again shortly");
  }

  const language = languageFor((await deps.preferences.find(message.userId))?.language ?? null, message.locale);
  const rendered = deps.render(message.kind, language, factsOf(deps, message, now));
  const subject = message.code ? rendered.subject.split(message.code).join("******") : rendered.subject;
  const channel = deps.channels.EMAIL;
  try {
    if (channel.notConfigured) throw new DeliveryFailure(channel.notConfigured, true);
    const result = await channel.send({
      // The same on a retry of the same messageId: the e-mail's Message-ID lets mail clients drop a copy.
      idempotencyKey: claim.id,
      recipient: { userId: message.userId, email: message.to, phone: null, pushSubscriptions: [] },
      message: rendered,
    });
    await deps.accountMessages.markSent(claim.id, { subject, providerMessageId: result.providerMessageId }, deps.clock());
    deps.metrics?.attempted({ channel: "EMAIL", kind: message.kind, outcome: "sent", attempts: claim.attempts, dueAt: now, at: deps.clock() });
    return { id: claim.id, status: "SENT", duplicate: false };
  } catch (err) {
    const reason = (err instanceof Error ? err.message : String(err)).slice(0, 500);
    if (!(err instanceof DeliveryFailure)) deps.logger.error({ err, deliveryId: claim.id }, "account message failed unexpectedly");
    else deps.logger.warn({ deliveryId: claim.id, kind: message.kind, reason }, "account message not sent");
    await deps.accountMessages.markFailed(claim.id, reason, subject, deps.clock());
    deps.metrics?.attempted({ channel: "EMAIL", kind: message.kind, outcome: "failed", attempts: claim.attempts, dueAt: now, at: deps.clock() });
    throw serviceUnavailable("The e-mail could not be sent; try again shortly");
  }
}

function factsOf(deps: Pick<Deps, "dispatch">, message: AccountMessage, now: Date): MessageFacts {
  return {
    audience: "patient",
    recipientName: null,
    patientName: null,
    doctorName: "",
    serviceName: null,
    location: null,
    timezone: "UTC",
    startsAt: now,
    link: deps.dispatch.webAppUrl.replace(/\/+$/, ""),
    code: message.code,
    validMinutes: message.validMinutes ?? 30,
    maskedNewEmail: message.maskedNewEmail,
  };
}
