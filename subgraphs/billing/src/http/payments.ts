/**
 * Billing's HTTP endpoints besides GraphQL, for online payments:
 * - `POST /webhooks/<provider>`: the provider's webhook (raw body, signature verified by the provider adapter):
 *   400 for a bad signature, 200 otherwise (a replay is acknowledged and changes nothing);
 * - with the local test provider only, the checkout page `GET /pay/<session>` and its answers
 *   `POST /pay/<session>/confirm` and `/decline`, which travel as signed webhooks through the same handling.
 */
import express, { type Express, type Request, type Response } from "express";
import { isUuid, type Logger } from "@clinigraph/platform";
import type { Deps } from "../domain/deps.js";
import { takePaymentOutcome } from "../domain/online.js";
import { WebhookRejected } from "../domain/ports.js";
import type { TestProvider } from "../providers/testProvider.js";

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function paymentRoutes(deps: Deps, logger: Logger, testProvider: TestProvider | null) {
  async function webhook(rawBody: Buffer, signature: string | undefined): Promise<{ status: number; body: Record<string, unknown> }> {
    let outcome;
    try {
      outcome = deps.provider.readWebhook(rawBody, signature);
    } catch (err) {
      if (err instanceof WebhookRejected) {
        logger.warn({ provider: deps.provider.name, reason: err.message }, "webhook refused");
        return { status: 400, body: { error: err.message } };
      }
      throw err;
    }
    if (!outcome) return { status: 200, body: { result: "IGNORED" } };
    return { status: 200, body: { result: await takePaymentOutcome(deps, outcome) } };
  }

  return (app: Express) => {
    app.post(`/webhooks/${deps.provider.name}`, express.raw({ type: "*/*", limit: "1mb" }), async (req: Request, res: Response) => {
      try {
        const signature = req.headers["stripe-signature"] ?? req.headers["clinigraph-signature"];
        const answer = await webhook(Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0), Array.isArray(signature) ? signature[0] : signature);
        res.status(answer.status).json(answer.body);
      } catch (err) {
        logger.error({ err }, "webhook failed; the provider will send it again");
        res.status(500).json({ error: "Unexpected error" });
      }
    });
    if (!testProvider) return;

    app.get("/pay/:session", async (req: Request, res: Response) => {
      const session = isUuid(req.params.session) ? await deps.invoices.findSession(req.params.session as string) : null;
      if (!session) {
        res.status(404).type("text/plain").send("No such payment");
        return;
      }
      const amount = new Intl.NumberFormat("en-GB", { style: "currency", currency: session.currency }).format(session.amountMinor / 100);
      res.type("html").send(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Clinigraph test payment</title></head>
<body style="font-family: sans-serif; max-width: 32rem; margin: 3rem auto">
<h1>Test payment</h1>
<p><strong>This is Clinigraph's local test payment provider: no money moves.</strong> Set STRIPE_SECRET_KEY to take real payments.</p>
<p>Amount: <strong>${escape(amount)}</strong> — status: ${escape(session.status)}</p>
${
  session.status === "OPEN"
    ? `<form method="post" action="/pay/${escape(session.id)}/confirm" style="display:inline"><button>Pay ${escape(amount)}</button></form>
<form method="post" action="/pay/${escape(session.id)}/decline" style="display:inline"><button>Decline</button></form>`
    : "<p>This payment is closed.</p>"
}
</body></html>`);
    });

    app.post("/pay/:session/:answer", async (req: Request, res: Response) => {
      const { session, answer } = req.params as { session: string; answer: string };
      if (!isUuid(session) || (answer !== "confirm" && answer !== "decline")) {
        res.status(404).type("text/plain").send("No such payment");
        return;
      }
      try {
        const { body, signature } = testProvider.signedWebhook(session, answer === "confirm" ? "SUCCEEDED" : "FAILED");
        const result = await webhook(body, signature);
        res.status(result.status).type("html").send(`<!doctype html><html><body style="font-family: sans-serif; max-width: 32rem; margin: 3rem auto">
<p>${answer === "confirm" ? "Payment confirmed" : "Payment declined"} (${escape(String(result.body.result ?? result.body.error))}).</p></body></html>`);
      } catch (err) {
        logger.error({ err }, "test payment answer failed");
        res.status(500).type("text/plain").send("Unexpected error");
      }
    });
  };
}
