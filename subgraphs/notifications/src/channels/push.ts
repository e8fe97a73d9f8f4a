/**
 * Web push (RFC 8030) with VAPID (RFC 8292) and an aes128gcm-encrypted payload (RFC 8291), through the `web-push`
 * library, to every browser subscription the recipient has.
 *
 * The payload is kept minimal — `{ title, body, url? }` — and the service worker shows it as is. Each push carries a
 * `Topic` derived from the delivery's idempotency key: a retried push replaces one the push service still holds
 * instead of showing twice once the device comes online.
 */
import { createHash } from "node:crypto";
import type { Agent } from "node:https";
import webpush from "web-push";
import { DeliveryFailure, type Channel, type OutgoingMessage, type PushSubscriptionRecord, type SendResult } from "../domain/ports.js";
import { pushSubscriptionProblem } from "../domain/push.js";

export interface VapidOptions {
  /** base64url, the uncompressed P-256 point the browser subscribed with (applicationServerKey). */
  publicKey: string;
  /** base64url, 32 bytes. */
  privateKey: string;
  /** Contact for the push services: a mailto: or https: URL. */
  subject: string;
}

export interface PushChannelOptions {
  /** null when push is not configured (the channel then refuses every message). */
  vapid: VapidOptions | null;
  /** The HTTPS agent for the push services (tests: one that trusts a local server's self-signed certificate). */
  agent?: Agent;
  /** Socket inactivity timeout per request, default 10 s. */
  timeoutMs?: number;
}

export const PUSH_NOT_CONFIGURED = "push is not configured: set VAPID_PUBLIC_KEY, VAPID_PRIVATE_KEY and VAPID_SUBJECT";

/** How long a push service keeps a message for a device that is offline. */
export const PUSH_TTL_SECONDS = 24 * 60 * 60;

/** A new VAPID key pair (base64url), for VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY. */
export function generateVapidKeys(): { publicKey: string; privateKey: string } {
  const { publicKey, privateKey } = webpush.generateVAPIDKeys();
  return { publicKey, privateKey };
}

/** The push `Topic` of a delivery: at most 32 characters of the URL-safe base64 alphabet (RFC 8030 §5.4). */
export function pushTopic(idempotencyKey: string): string {
  return createHash("sha256").update(idempotencyKey).digest("base64url").slice(0, 32);
}

/**
 * Why a browser's subscription cannot be used, or null when it can: the endpoint must be an https URL of at most
 * 2048 characters, p256dh an uncompressed P-256 point (65 bytes, 0x04 first, on the curve) and auth 16 bytes, both
 * base64url.
 */
export function validatePushSubscription(input: { endpoint: string; keys: { p256dh: string; auth: string } }): string | null {
  return pushSubscriptionProblem(input)?.message ?? null;
}

/** The first web link in the short text, for the notification's click (the service worker opens it). */
function linkIn(text: string): string | undefined {
  return /https?:\/\/[^\s<>"]+/.exec(text)?.[0].replace(/[.,;:!?)]+$/, "");
}

/** What web-push rejects with when the push service answers outside 2xx. */
interface WebPushError extends Error {
  statusCode?: number;
}

type Delivered = { ok: true; location: string | null };
type Failed = { ok: false; gone: boolean; temporary: boolean; reason: string };
type Outcome = Delivered | Failed;
const isGone = (outcome: Outcome): boolean => !outcome.ok && outcome.gone;

export function createPushChannel(options: PushChannelOptions): Channel {
  const vapid = options.vapid;
  if (vapid === null) {
    return {
      channel: "PUSH",
      notConfigured: PUSH_NOT_CONFIGURED,
      send: () => Promise.reject(new DeliveryFailure(PUSH_NOT_CONFIGURED, true)),
      close: async () => {},
    };
  }
  // Malformed keys or subject are a configuration error: refused here, at boot, rather than at every send.
  webpush.getVapidHeaders("https://push.example", vapid.subject, vapid.publicKey, vapid.privateKey, "aes128gcm");
  const vapidDetails: VapidOptions = { ...vapid };

  const timeoutMs = options.timeoutMs ?? 10_000;

  async function sendOne(subscription: PushSubscriptionRecord, payload: string, topic: string): Promise<Outcome> {
    const problem = validatePushSubscription({ endpoint: subscription.endpoint, keys: { p256dh: subscription.p256dh, auth: subscription.auth } });
    if (problem) return { ok: false, gone: false, temporary: false, reason: `unusable subscription: ${problem}` };
    try {
      const result = await webpush.sendNotification(
        { endpoint: subscription.endpoint, keys: { p256dh: subscription.p256dh, auth: subscription.auth } },
        payload,
        {
          vapidDetails,
          TTL: PUSH_TTL_SECONDS,
          urgency: "normal",
          topic,
          timeout: timeoutMs,
          ...(options.agent ? { agent: options.agent } : {}),
        },
      );
      const location = result.headers["location"];
      return { ok: true, location: typeof location === "string" ? location : null };
    } catch (error) {
      const status = (error as WebPushError).statusCode;
      if (typeof status !== "number") {
        // No answer: refused connection, TLS failure, timeout.
        const code = (error as { code?: unknown }).code;
        return { ok: false, gone: false, temporary: true, reason: `push service not reachable (${typeof code === "string" ? code : "network error"})` };
      }
      if (status === 404 || status === 410) return { ok: false, gone: true, temporary: false, reason: `subscription gone (HTTP ${status})` };
      const temporary = status === 429 || status >= 500;
      return { ok: false, gone: false, temporary, reason: `push service answered HTTP ${status}` };
    }
  }

  return {
    channel: "PUSH",
    notConfigured: null,
    async send({ idempotencyKey, recipient, message }: OutgoingMessage): Promise<SendResult> {
      const subscriptions = recipient.pushSubscriptions;
      if (subscriptions.length === 0) throw new DeliveryFailure("the recipient has no push subscription", true);

      const url = linkIn(message.short);
      const payload = JSON.stringify({ title: message.subject, body: message.short, ...(url ? { url } : {}) });
      const topic = pushTopic(idempotencyKey);
      const outcomes = await Promise.all(subscriptions.map((subscription) => sendOne(subscription, payload, topic)));

      const goneEndpoints = subscriptions.filter((_, i) => isGone(outcomes[i]!)).map((s) => s.endpoint);
      const delivered = outcomes.filter((o): o is Delivered => o.ok);
      // One device reached is a delivered message: retrying for the others would show it twice on that one. The
      // provider's id is the first push service Location (one per device reached).
      if (delivered.length > 0) return { providerMessageId: delivered.find((o) => o.location)?.location ?? null, goneEndpoints };

      const failures = outcomes.filter((o): o is Failed => !o.ok);
      if (failures.every((f) => f.gone)) throw new DeliveryFailure("every push subscription of the recipient is gone", true, goneEndpoints);
      const temporary = failures.some((f) => f.temporary);
      const reasons = [...new Set(failures.filter((f) => !f.gone).map((f) => f.reason))].join("; ");
      throw new DeliveryFailure(`no push subscription reached: ${reasons}`, !temporary, goneEndpoints);
    },
    close: async () => {},
  };
}
