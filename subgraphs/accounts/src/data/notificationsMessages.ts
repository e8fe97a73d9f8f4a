/**
 * The e-mail change's messages, sent by the notifications service: `POST /internal/messages` on notifications' origin,
 * with accounts' own service identity (no user, no role), signed like the router signs identities (ADR 0002).
 * Notifications writes each message in the user's language, sends it at once and logs it without the code. Each call
 * carries a fresh `messageId`: notifications sends a message once per id.
 */
import { randomUUID } from "node:crypto";
import { IDENTITY_HEADER, injectTraceHeaders, REQUEST_ID_HEADER, signIdentity } from "@clinigraph/platform";
import { EmailChangeMessagesUnavailable, type EmailChangeMessage, type EmailChangeMessages } from "../domain/ports.js";

export interface NotificationsMessagesOptions {
  /** notifications' GraphQL endpoint (e.g. http://notifications:4005/graphql), asked at each call; null: not connected. */
  url: () => string | null;
  routerSecrets: readonly string[];
  /** Timeout of one request, milliseconds (default 10 000: it includes the SMTP send). */
  timeoutMs?: number;
}

export function createNotificationsEmailChangeMessages(options: NotificationsMessagesOptions): EmailChangeMessages {
  const timeoutMs = options.timeoutMs ?? 10_000;
  return {
    async send(message) {
      const base = options.url();
      if (!base) throw new EmailChangeMessagesUnavailable("notifications is not connected (NOTIFICATIONS_URL)");
      const requestId = `accounts:${randomUUID()}`;
      let res: Response;
      try {
        res = await fetch(new URL("/internal/messages", base), {
          method: "POST",
          headers: injectTraceHeaders({
            "content-type": "application/json",
            [IDENTITY_HEADER]: await signIdentity({ userId: null, role: null, requestId }, options.routerSecrets),
            [REQUEST_ID_HEADER]: requestId,
          }),
          body: JSON.stringify(bodyOf(message)),
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (err) {
        const name = (err as { name?: unknown } | null)?.name;
        throw new EmailChangeMessagesUnavailable(
          name === "TimeoutError" || name === "AbortError" ? `notifications: no answer within ${timeoutMs} ms` : "notifications: unreachable",
        );
      }
      const answer = (await res.json().catch(() => undefined)) as { status?: unknown; error?: { code?: unknown } } | undefined;
      // The answer names the status or the error's code only: never the address or the code.
      if (res.status !== 200)
        throw new EmailChangeMessagesUnavailable(`notifications answered HTTP ${res.status} (${String(answer?.error?.code ?? "no code")})`);
      if (answer?.status !== "SENT" && answer?.status !== "SENDING") throw new EmailChangeMessagesUnavailable("notifications answered an unexpected shape");
    },
  };
}

/** The endpoint's body: kind, user, address and the kind's parameters. */
function bodyOf(message: EmailChangeMessage): Record<string, unknown> {
  const common = { kind: message.kind, userId: message.userId, to: message.to, messageId: `email-change:${randomUUID()}` };
  switch (message.kind) {
    case "EMAIL_CHANGE_CODE":
      return { ...common, params: { code: message.code, validMinutes: message.validMinutes } };
    case "EMAIL_CHANGED":
      return { ...common, params: { maskedNewEmail: message.maskedNewEmail } };
    case "EMAIL_CHANGE_TAKEN":
      return { ...common, params: {} };
  }
}
