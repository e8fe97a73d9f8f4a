/**
 * Online payments through Stripe (the `stripe` library): a PaymentIntent per session (the front end confirms it
 * with Stripe.js and the client secret), webhooks verified with the library's signature check
 * (`payment_intent.succeeded` / `payment_intent.payment_failed`), refunds of the PaymentIntent. Every request carries
 * an idempotency key, so a retry starts no second payment or refund.
 */
import Stripe from "stripe";
import { ProviderUnavailable, WebhookRejected, type PaymentProvider } from "../domain/ports.js";

export interface StripeProviderOptions {
  secretKey: string;
  webhookSecret: string;
  /** Tests: a local Stripe-like server instead of api.stripe.com. */
  api?: { host: string; port: number; protocol: "http" | "https" };
}

export function createStripeProvider(options: StripeProviderOptions): PaymentProvider {
  const stripe = new Stripe(options.secretKey, { maxNetworkRetries: 2, timeout: 10_000, ...(options.api ?? {}) });
  const unavailable = (err: unknown) =>
    new ProviderUnavailable(
      `Stripe: ${err instanceof Stripe.errors.StripeError ? `${err.type}${err.code ? ` ${err.code}` : ""}` : err instanceof Error ? err.message : "error"}`,
    );
  return {
    name: "stripe",
    async createCheckout(request) {
      try {
        const intent = await stripe.paymentIntents.create(
          {
            amount: request.amountMinor,
            currency: request.currency.toLowerCase(),
            automatic_payment_methods: { enabled: true },
            description: request.description,
            metadata: {
              sessionId: request.sessionId,
              ...(request.invoiceId ? { invoiceId: request.invoiceId } : {}),
              ...(request.appointmentId ? { appointmentId: request.appointmentId } : {}),
            },
          },
          { idempotencyKey: request.idempotencyKey },
        );
        return { providerRef: intent.id, checkoutUrl: null, clientSecret: intent.client_secret };
      } catch (err) {
        throw unavailable(err);
      }
    },
    readWebhook(rawBody, signature) {
      let event: Stripe.Event;
      try {
        event = stripe.webhooks.constructEvent(rawBody, signature ?? "", options.webhookSecret);
      } catch {
        throw new WebhookRejected("The Stripe signature does not verify");
      }
      if (event.type === "payment_intent.succeeded" || event.type === "payment_intent.payment_failed") {
        const intent = event.data.object;
        return { eventId: event.id, providerRef: intent.id, outcome: event.type === "payment_intent.succeeded" ? "SUCCEEDED" : "FAILED" };
      }
      return null;
    },
    async refund(providerRef, amountMinor, idempotencyKey) {
      try {
        const refund = await stripe.refunds.create({ payment_intent: providerRef, amount: amountMinor }, { idempotencyKey });
        return { refundRef: refund.id };
      } catch (err) {
        throw unavailable(err);
      }
    },
  };
}
