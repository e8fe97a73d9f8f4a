/**
 * Payments at the desk (CASH, CARD). The invoice is locked for the payment, so concurrent payments add up; the
 * idempotency key makes a retried request — even twenty at the same moment — one payment. A payment beyond the
 * balance settles the invoice and the rest is the patient's credit.
 */
import { randomUUID } from "node:crypto";
import { badInput, conflict, isUuid, notFound } from "@clinigraph/platform";
import type { Deps } from "./deps.js";
import type { Actor, Invoice, Payment, PaymentMethod } from "./types.js";

export interface RecordPaymentInput {
  invoiceId: string;
  amount: { amountMinor: number; currency: string };
  method: PaymentMethod;
  idempotencyKey: string;
}

const KEY = /^[A-Za-z0-9._:-]{8,128}$/;
const PAYABLE = new Set(["ISSUED", "PARTIALLY_PAID"]);
const MAX_PAYMENT_MINOR = 1_000_000_000;

export async function recordPayment(deps: Pick<Deps, "unitOfWork" | "settings" | "clock">, actor: Actor, input: RecordPaymentInput): Promise<Payment> {
  if (!isUuid(input.invoiceId)) throw badInput("invoiceId must be an id", "invoiceId");
  if (input.method !== "CASH" && input.method !== "CARD") throw badInput("At the desk a payment is CASH or CARD", "method");
  if (!KEY.test(input.idempotencyKey)) throw badInput("idempotencyKey must be 8 to 128 letters, digits or . _ : -", "idempotencyKey");
  const { amountMinor, currency } = input.amount;
  if (currency !== deps.settings.currency) throw badInput(`Payments are in the clinic's currency, ${deps.settings.currency}`, "amount.currency");
  if (!Number.isInteger(amountMinor) || amountMinor <= 0 || amountMinor > MAX_PAYMENT_MINOR)
    throw badInput("amountMinor must be a positive whole number of minor units", "amount.amountMinor");

  return deps.unitOfWork.run(async (tx) => {
    const invoice = await tx.invoices.lock(input.invoiceId);
    if (!invoice) throw notFound("No such invoice");
    // Under the invoice's lock: a concurrent request with the same key has committed its payment, or will wait here.
    const earlier = await tx.payments.findByKey(input.idempotencyKey);
    if (earlier) {
      if (earlier.invoiceId !== input.invoiceId || earlier.amountMinor !== amountMinor || earlier.method !== input.method)
        throw conflict("This idempotency key was used for another payment", "IDEMPOTENCY_KEY_REUSED", "idempotencyKey");
      return earlier;
    }
    if (!PAYABLE.has(invoice.status)) throw conflict(`The invoice is ${invoice.status}: it takes no payment`, "INVOICE_NOT_PAYABLE");
    const now = deps.clock();
    const balance = invoice.totalMinor - invoice.paidMinor;
    const creditMinor = Math.max(0, amountMinor - balance);
    const payment: Payment = {
      id: randomUUID(),
      idempotencyKey: input.idempotencyKey,
      invoiceId: invoice.id,
      patientId: invoice.patientId,
      kind: "PAYMENT",
      method: input.method,
      status: "SUCCEEDED",
      amountMinor,
      currency,
      creditMinor,
      refundedMinor: 0,
      createdAt: now,
    };
    await tx.payments.add(payment);
    const paidMinor = invoice.paidMinor + amountMinor - creditMinor;
    const updated: Invoice = { ...invoice, paidMinor, status: paidMinor >= invoice.totalMinor ? "PAID" : "PARTIALLY_PAID" };
    await tx.invoices.save(updated, now);
    await tx.outbox.append(
      "PaymentReceived",
      {
        id: invoice.id,
        paymentId: payment.id,
        invoiceId: invoice.id,
        patientId: invoice.patientId,
        kind: "PAYMENT",
        method: payment.method,
        amountMinor,
        currency,
      },
      now,
    );
    return payment;
  });
}
