/**
 * The Stripe payment provider against a local Stripe-like HTTP API (the `stripe` library pointed at it with `host`,
 * `port` and `protocol: "http"`): what it posts for a PaymentIntent and a refund (form fields and the Idempotency-Key
 * header), what it answers, how a failing or unreachable API surfaces (ProviderUnavailable, after the library's own
 * retries), and how webhooks signed as Stripe signs them are verified and read.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { randomUUID } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import Stripe from "stripe";
import { ProviderUnavailable, WebhookRejected, type CheckoutRequest, type PaymentProvider } from "../../src/domain/ports.js";
import { createStripeProvider } from "../../src/providers/stripe.js";

/** One request the local API received, its form body decoded. */
interface Received {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  form: URLSearchParams;
}

type Answer = (request: Received) => { status: number; body: unknown };

/** A Stripe-like API on 127.0.0.1: records every request and answers it with `answer` (set per test). */
interface StripeStub {
  port: number;
  received: Received[];
  answer: Answer;
  close(): Promise<void>;
}

async function startStripeStub(): Promise<StripeStub> {
  const stub: Omit<StripeStub, "port" | "close"> = { received: [], answer: () => ({ status: 404, body: { error: { type: "invalid_request_error" } } }) };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const request: Received = {
        method: req.method ?? "",
        path: req.url ?? "",
        headers: req.headers,
        form: new URLSearchParams(Buffer.concat(chunks).toString("utf8")),
      };
      stub.received.push(request);
      const { status, body } = stub.answer(request);
      res.writeHead(status, { "content-type": "application/json", "request-id": `req_${randomUUID()}` });
      res.end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return Object.assign(stub, {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}

/** A port nothing listens on (bound, then released): connections to it are refused at once. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const SECRET_KEY = "sk_test_clinigraph_local";

let stub: StripeStub;
let webhookSecret: string;
let provider: PaymentProvider;

beforeAll(async () => {
  stub = await startStripeStub();
  webhookSecret = `whsec_${randomUUID().replace(/-/g, "")}`;
  provider = createStripeProvider({ secretKey: SECRET_KEY, webhookSecret, api: { host: "127.0.0.1", port: stub.port, protocol: "http" } });
});

afterAll(async () => {
  await stub?.close();
});

/** The requests the local API received carrying this idempotency key (every test uses keys of its own). */
const receivedWith = (idempotencyKey: string) => stub.received.filter((request) => request.headers["idempotency-key"] === idempotencyKey);

function checkoutRequest(overrides: Partial<CheckoutRequest> = {}): CheckoutRequest {
  return {
    sessionId: randomUUID(),
    invoiceId: randomUUID(),
    description: "Invoice 2027-000042",
    appointmentId: null,
    amountMinor: 13414,
    currency: "EUR",
    idempotencyKey: `checkout-${randomUUID()}`,
    ...overrides,
  };
}

describe("createCheckout", () => {
  it("creates a PaymentIntent (amount, lower-case currency, metadata, the idempotency key) and answers its id and client secret", async () => {
    const request = checkoutRequest();
    const intentId = `pi_${randomUUID().replace(/-/g, "")}`;
    const clientSecret = `${intentId}_secret_${randomUUID().replace(/-/g, "")}`;
    stub.answer = ({ form }) => ({
      status: 200,
      body: {
        id: intentId,
        object: "payment_intent",
        amount: Number(form.get("amount")),
        currency: form.get("currency"),
        client_secret: clientSecret,
        status: "requires_payment_method",
        metadata: { sessionId: form.get("metadata[sessionId]"), invoiceId: form.get("metadata[invoiceId]") },
      },
    });

    const checkout = await provider.createCheckout(request);

    expect(checkout).toEqual({ providerRef: intentId, checkoutUrl: null, clientSecret });
    const received = receivedWith(request.idempotencyKey);
    expect(received).toHaveLength(1);
    const [post] = received;
    expect(post).toMatchObject({ method: "POST", path: "/v1/payment_intents" });
    expect(post!.headers.authorization).toBe(`Bearer ${SECRET_KEY}`);
    expect(Object.fromEntries(post!.form)).toEqual({
      amount: "13414",
      currency: "eur",
      "automatic_payment_methods[enabled]": "true",
      description: "Invoice 2027-000042",
      "metadata[sessionId]": request.sessionId,
      "metadata[invoiceId]": request.invoiceId,
    });
  });

  it("an API failing with 500 is ProviderUnavailable once the library's retries are spent, each retry under the same key", async () => {
    const request = checkoutRequest();
    stub.answer = () => ({ status: 500, body: { error: { type: "api_error", message: "An unexpected error occurred." } } });

    await expect(provider.createCheckout(request)).rejects.toThrow(ProviderUnavailable);

    // One request and the provider's two retries (maxNetworkRetries: 2), all with the caller's idempotency key, so
    // Stripe would start one PaymentIntent however many of them had reached it.
    const received = receivedWith(request.idempotencyKey);
    expect(received).toHaveLength(3);
    expect(received.every((post) => post.path === "/v1/payment_intents" && post.form.get("amount") === "13414")).toBe(true);
  });

  it("a refused request (400) is ProviderUnavailable at once, without a retry", async () => {
    const request = checkoutRequest({ amountMinor: 1 });
    stub.answer = () => ({
      status: 400,
      body: { error: { type: "invalid_request_error", code: "amount_too_small", message: "Amount must be at least €0.50 eur" } },
    });

    const failure = await provider.createCheckout(request).catch((err: unknown) => err);

    expect(failure).toBeInstanceOf(ProviderUnavailable);
    expect((failure as Error).message).toMatch(/^Stripe: .*amount_too_small$/); // Stripe's error code, for the log
    expect(receivedWith(request.idempotencyKey)).toHaveLength(1);
  });

  it("an unreachable API (connection refused) is ProviderUnavailable", async () => {
    const unreachable = createStripeProvider({ secretKey: SECRET_KEY, webhookSecret, api: { host: "127.0.0.1", port: await closedPort(), protocol: "http" } });
    await expect(unreachable.createCheckout(checkoutRequest())).rejects.toThrow(ProviderUnavailable);
  });
});

describe("refund", () => {
  it("refunds the PaymentIntent (payment_intent, amount, the idempotency key) and answers the refund's id", async () => {
    const intentId = `pi_${randomUUID().replace(/-/g, "")}`;
    const refundId = `re_${randomUUID().replace(/-/g, "")}`;
    const key = `refund-${randomUUID()}`;
    stub.answer = ({ form }) => ({
      status: 200,
      body: { id: refundId, object: "refund", amount: Number(form.get("amount")), payment_intent: form.get("payment_intent"), status: "succeeded" },
    });

    await expect(provider.refund(intentId, 4000, key)).resolves.toEqual({ refundRef: refundId });

    const received = receivedWith(key);
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ method: "POST", path: "/v1/refunds" });
    expect(Object.fromEntries(received[0]!.form)).toEqual({ payment_intent: intentId, amount: "4000" });
  });

  it("a refund the API cannot take is ProviderUnavailable", async () => {
    const key = `refund-${randomUUID()}`;
    stub.answer = () => ({ status: 400, body: { error: { type: "invalid_request_error", code: "charge_already_refunded", message: "Already refunded" } } });
    await expect(provider.refund(`pi_${randomUUID().replace(/-/g, "")}`, 4000, key)).rejects.toThrow(ProviderUnavailable);
    expect(receivedWith(key)).toHaveLength(1);

    const unreachable = createStripeProvider({ secretKey: SECRET_KEY, webhookSecret, api: { host: "127.0.0.1", port: await closedPort(), protocol: "http" } });
    await expect(unreachable.refund(`pi_${randomUUID().replace(/-/g, "")}`, 4000, `refund-${randomUUID()}`)).rejects.toThrow(ProviderUnavailable);
  });
});

describe("readWebhook", () => {
  /** A Stripe event as its webhook body, and the `Stripe-Signature` header Stripe would send with it. */
  function signedEvent(type: string, options: { secret?: string; timestamp?: number } = {}) {
    const eventId = `evt_${randomUUID().replace(/-/g, "")}`;
    const intentId = `pi_${randomUUID().replace(/-/g, "")}`;
    const payload = JSON.stringify({
      id: eventId,
      object: "event",
      api_version: "2025-01-27.acacia",
      created: Math.floor(Date.now() / 1000),
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      type,
      data: { object: { id: intentId, object: "payment_intent", amount: 13414, currency: "eur", status: "succeeded" } },
    });
    const signature = Stripe.webhooks.generateTestHeaderString({
      payload,
      secret: options.secret ?? webhookSecret,
      ...(options.timestamp !== undefined ? { timestamp: options.timestamp } : {}),
    });
    return { eventId, intentId, body: Buffer.from(payload), signature };
  }

  it("reads payment_intent.succeeded and payment_intent.payment_failed: the outcome, the event id and the PaymentIntent", () => {
    const succeeded = signedEvent("payment_intent.succeeded");
    expect(provider.readWebhook(succeeded.body, succeeded.signature)).toEqual({
      eventId: succeeded.eventId,
      providerRef: succeeded.intentId,
      outcome: "SUCCEEDED",
    });
    const failed = signedEvent("payment_intent.payment_failed");
    expect(provider.readWebhook(failed.body, failed.signature)).toEqual({ eventId: failed.eventId, providerRef: failed.intentId, outcome: "FAILED" });
  });

  it("answers null for a verified event of another type", () => {
    for (const type of ["payment_intent.created", "payment_intent.canceled", "charge.refunded"]) {
      const event = signedEvent(type);
      expect(provider.readWebhook(event.body, event.signature)).toBeNull();
    }
  });

  it("rejects a signature made with another secret, a tampered body, a missing header and an expired timestamp", () => {
    const foreign = signedEvent("payment_intent.succeeded", { secret: `whsec_${randomUUID().replace(/-/g, "")}` });
    expect(() => provider.readWebhook(foreign.body, foreign.signature)).toThrow(WebhookRejected);

    const genuine = signedEvent("payment_intent.payment_failed");
    const tampered = Buffer.from(genuine.body.toString("utf8").replace("payment_intent.payment_failed", "payment_intent.succeeded"));
    expect(() => provider.readWebhook(tampered, genuine.signature)).toThrow(WebhookRejected);
    expect(() => provider.readWebhook(genuine.body, undefined)).toThrow(WebhookRejected);
    expect(() => provider.readWebhook(genuine.body, "")).toThrow(WebhookRejected);

    // Signed more than the library's tolerance (300 s) ago: a captured webhook replayed later.
    const stale = signedEvent("payment_intent.succeeded", { timestamp: Math.floor(Date.now() / 1000) - 600 });
    expect(() => provider.readWebhook(stale.body, stale.signature)).toThrow(WebhookRejected);

    // The genuine one still verifies: only the alterations were refused.
    expect(provider.readWebhook(genuine.body, genuine.signature)).toMatchObject({ outcome: "FAILED", eventId: genuine.eventId });
  });
});
