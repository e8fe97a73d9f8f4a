/**
 * The local TEST payment provider, used when STRIPE_SECRET_KEY is not set: no money moves. `payInvoice` answers a
 * checkout URL of a small page billing serves itself (`/pay/<session>`), where the payer confirms or declines; the
 * page's answer travels as a webhook signed like Stripe's (HMAC-SHA256 over `timestamp.body`, header
 * `clinigraph-signature: t=…,v1=…`) through the same verification and handling as a real provider's.
 */
import { createHmac, randomUUID, timingSafeEqual } from "node:crypto";
import { WebhookRejected, type PaymentOutcome, type PaymentProvider } from "../domain/ports.js";

export const TEST_SIGNATURE_HEADER = "clinigraph-signature";
/** Signatures older than this are refused (a captured webhook cannot be replayed much later). */
const TOLERANCE_SECONDS = 300;

export interface TestProvider extends PaymentProvider {
  /** Refunds this process was asked for, by payment reference (one per idempotency key, as Stripe does). */
  refundsOf(providerRef: string): { refundRef: string; amountMinor: number }[];
  /** The signed webhook the checkout page sends for the payer's answer. */
  signedWebhook(sessionId: string, outcome: PaymentOutcome["outcome"]): { body: Buffer; signature: string };
}

export function createTestProvider(options: { publicUrl: string; secret: string; now?: () => number }): TestProvider {
  const now = options.now ?? Date.now;
  const refunds = new Map<string, { providerRef: string; refundRef: string; amountMinor: number }>();
  const sign = (timestamp: number, body: Buffer) => createHmac("sha256", options.secret).update(`${timestamp}.`).update(body).digest("hex");
  return {
    name: "test",
    async createCheckout(request) {
      return { providerRef: `test_${request.sessionId}`, checkoutUrl: `${options.publicUrl.replace(/\/+$/, "")}/pay/${request.sessionId}`, clientSecret: null };
    },
    readWebhook(rawBody, signature) {
      const parts = new Map((signature ?? "").split(",").map((part) => part.split("=", 2) as [string, string]));
      const timestamp = Number(parts.get("t"));
      const given = Buffer.from(parts.get("v1") ?? "", "hex");
      const expected = Buffer.from(sign(timestamp, rawBody), "hex");
      if (!Number.isInteger(timestamp) || given.length !== expected.length || !timingSafeEqual(given, expected))
        throw new WebhookRejected("The webhook's signature does not verify");
      if (Math.abs(now() / 1000 - timestamp) > TOLERANCE_SECONDS) throw new WebhookRejected("The webhook's signature is too old");
      let event: { id?: unknown; type?: unknown; providerRef?: unknown };
      try {
        event = JSON.parse(rawBody.toString("utf8")) as typeof event;
      } catch {
        throw new WebhookRejected("The webhook is not JSON");
      }
      if (typeof event.id !== "string" || typeof event.providerRef !== "string") throw new WebhookRejected("The webhook lacks id or providerRef");
      if (event.type === "payment.succeeded") return { eventId: event.id, providerRef: event.providerRef, outcome: "SUCCEEDED" };
      if (event.type === "payment.failed") return { eventId: event.id, providerRef: event.providerRef, outcome: "FAILED" };
      return null;
    },
    async refund(providerRef, amountMinor, idempotencyKey) {
      // The same key again is the same refund (a retried request gives back nothing twice).
      const earlier = refunds.get(idempotencyKey);
      if (earlier) return { refundRef: earlier.refundRef };
      const refundRef = `test_refund_${randomUUID()}`;
      refunds.set(idempotencyKey, { providerRef, refundRef, amountMinor });
      return { refundRef };
    },
    refundsOf(providerRef) {
      return [...refunds.values()].filter((refund) => refund.providerRef === providerRef).map(({ refundRef, amountMinor }) => ({ refundRef, amountMinor }));
    },
    signedWebhook(sessionId, outcome) {
      const body = Buffer.from(
        JSON.stringify({ id: `evt_${randomUUID()}`, type: outcome === "SUCCEEDED" ? "payment.succeeded" : "payment.failed", providerRef: `test_${sessionId}` }),
      );
      const timestamp = Math.floor(now() / 1000);
      return { body, signature: `t=${timestamp},v1=${sign(timestamp, body)}` };
    },
  };
}
