/**
 * SMS through Twilio's Messages API: POST {baseUrl}/2010-04-01/Accounts/{AccountSid}/Messages.json, form-encoded
 * To, From (or MessagingServiceSid) and Body, HTTP basic auth AccountSid:AuthToken. Twilio answers 201 with the
 * message resource (its `sid` is the provider's id) or an error object `{ code, message, more_info, status }`.
 *
 * Idempotency: Twilio documents `I-Twilio-Idempotency-Token` as a header on the webhooks it sends to us, not as a
 * request header its Messages API honours. We send the delivery's idempotency key in it all the same (an unknown
 * header is ignored), but nothing in Twilio's documentation promises that a repeated POST with the same token sends
 * one SMS only: a crash between Twilio's 201 and our commit may still send the message twice.
 */
import { DeliveryFailure, type Channel, type OutgoingMessage, type SendResult } from "../domain/ports.js";

export interface TwilioOptions {
  /** AC... */
  accountSid: string;
  authToken: string;
  /** The sending number (E.164), alphanumeric sender id, or a Messaging Service SID (MG...). */
  from: string;
  /** Default https://api.twilio.com (tests point it at a local server). */
  baseUrl?: string;
}

export interface SmsChannelOptions {
  /** null when SMS is not configured (the channel then refuses every message). */
  twilio: TwilioOptions | null;
  fetch?: typeof fetch;
  /** Whole request, default 10 s. */
  timeoutMs?: number;
}

export const SMS_NOT_CONFIGURED = "SMS is not configured: set TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM";

const MESSAGING_SERVICE_SID = /^MG[0-9a-fA-F]{32}$/;

/** Twilio's error text may quote the number it refused: any run of digits that could be one is taken out. */
function withoutNumbers(text: string, ...secrets: string[]): string {
  let clean = text;
  for (const secret of secrets) if (secret) clean = clean.split(secret).join("[redacted]");
  return clean.replace(/\+?\d[\d\s().-]{4,}\d/g, "[number]");
}

interface TwilioError {
  code?: unknown;
  message?: unknown;
}

export function createSmsChannel(options: SmsChannelOptions): Channel {
  const twilio = options.twilio;
  if (twilio === null) {
    return {
      channel: "SMS",
      notConfigured: SMS_NOT_CONFIGURED,
      send: () => Promise.reject(new DeliveryFailure(SMS_NOT_CONFIGURED, true)),
      close: async () => {},
    };
  }

  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const baseUrl = (twilio.baseUrl ?? "https://api.twilio.com").replace(/\/+$/, "");
  const endpoint = `${baseUrl}/2010-04-01/Accounts/${encodeURIComponent(twilio.accountSid)}/Messages.json`;
  const authorization = `Basic ${Buffer.from(`${twilio.accountSid}:${twilio.authToken}`).toString("base64")}`;
  const fromField = MESSAGING_SERVICE_SID.test(twilio.from) ? "MessagingServiceSid" : "From";

  return {
    channel: "SMS",
    notConfigured: null,
    async send({ idempotencyKey, recipient, message }: OutgoingMessage): Promise<SendResult> {
      if (!recipient.phone) throw new DeliveryFailure("the recipient has no phone number", true);
      const form = new URLSearchParams({ To: recipient.phone, [fromField]: twilio.from, Body: message.short });

      let response: Response;
      let text: string;
      try {
        response = await doFetch(endpoint, {
          method: "POST",
          headers: {
            authorization,
            "content-type": "application/x-www-form-urlencoded",
            accept: "application/json",
            "I-Twilio-Idempotency-Token": idempotencyKey,
          },
          body: form.toString(),
          signal: AbortSignal.timeout(timeoutMs),
        });
        text = await response.text();
      } catch (error) {
        // A DOMException from AbortSignal.timeout (not always `instanceof Error` across realms: compare the name).
        const reason = (error as { name?: unknown } | null)?.name === "TimeoutError" ? `no answer within ${timeoutMs} ms` : "network error";
        throw new DeliveryFailure(`Twilio not reachable (${reason})`, false);
      }

      let body: unknown = null;
      try {
        body = JSON.parse(text);
      } catch {
        // Not JSON (a proxy's error page): the status alone decides.
      }

      if (response.ok) {
        const sid = (body as { sid?: unknown } | null)?.sid;
        return { providerMessageId: typeof sid === "string" ? sid : null };
      }

      const error = (body ?? {}) as TwilioError;
      const code = typeof error.code === "number" || typeof error.code === "string" ? ` ${error.code}` : "";
      const detail = typeof error.message === "string" ? `: ${withoutNumbers(error.message, recipient.phone, message.short)}` : "";
      const permanent = response.status >= 400 && response.status < 500 && response.status !== 429;
      throw new DeliveryFailure(`Twilio answered HTTP ${response.status}${code ? ` (error${code})` : ""}${detail}`, permanent);
    },
    close: async () => {},
  };
}
