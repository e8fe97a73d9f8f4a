/**
 * Payments at the desk (CASH, CARD). The invoice is locked for the payment, so concurrent payments add up; the
 * idempotency key makes a retried request — even twenty at the same moment — one payment. A payment beyond the
 * balance settles the invoice and the rest is the patient's credit.
 */
import { randomUUID } from "node:crypto";
import { badInput, conflict, forbidden, isUuid, notFound } from "@clinigraph/platform";
import type { Deps } from "./deps.js";
import type { TransactionRepositories } from "./ports.js";
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
  if (actor.role !== "BILLING" && actor.role !== "RECEPTIONIST") throw forbidden("Payments are taken by the billing desk and reception");
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
    return applyPayment(tx, invoice, { idempotencyKey: input.idempotencyKey, method: input.method, amountMinor, recordedBy: actor.userId }, deps.clock());
  });
}

/**
 * Records a payment against an invoice the caller's transaction has locked: the invoice's paid amount and status
 * move, what goes beyond its balance is the patient's credit, and PaymentReceived is written.
 */
export async function applyPayment(
  tx: TransactionRepositories,
  invoice: Invoice,
  fields: { idempotencyKey: string; method: PaymentMethod; amountMinor: number; recordedBy: string | null; providerRef?: string | null },
  now: Date,
): Promise<Payment> {
  const balance = invoice.totalMinor - invoice.paidMinor;
  const creditMinor = Math.max(0, fields.amountMinor - balance);
  const payment: Payment = {
    id: randomUUID(),
    idempotencyKey: fields.idempotencyKey,
    invoiceId: invoice.id,
    appointmentId: null,
    patientId: invoice.patientId,
    kind: "PAYMENT",
    method: fields.method,
    status: "SUCCEEDED",
    amountMinor: fields.amountMinor,
    currency: invoice.currency,
    creditMinor,
    refundedMinor: 0,
    providerRef: fields.providerRef ?? null,
    recordedBy: fields.recordedBy,
    createdAt: now,
  };
  await tx.payments.add(payment);
  const paidMinor = invoice.paidMinor + fields.amountMinor - creditMinor;
  await tx.invoices.save({ ...invoice, paidMinor, status: paidStatus(paidMinor, invoice.totalMinor) }, now);
  await tx.outbox.append("PaymentReceived", { id: invoice.patientId, ...paymentEvent(payment, fields.amountMinor - creditMinor) }, now);
  return payment;
}

/** An issued invoice's status for what has been paid of it. */
export const paidStatus = (paidMinor: number, totalMinor: number): Invoice["status"] =>
  paidMinor >= totalMinor ? "PAID" : paidMinor > 0 ? "PARTIALLY_PAID" : "ISSUED";

/**
 * The payload of payment events (ids and amounts); their aggregate is the patient's account. `invoiceAppliedMinor`
 * is what the event changed of its invoice's paid amount (a refund's is negative), so the sum over an invoice's
 * events is what is paid of it, in whatever order they are read.
 */
export const paymentEvent = (payment: Payment, invoiceAppliedMinor: number) => ({
  paymentId: payment.id,
  invoiceId: payment.invoiceId,
  appointmentId: payment.appointmentId ?? null,
  patientId: payment.patientId,
  kind: payment.kind,
  method: payment.method,
  amountMinor: payment.amountMinor,
  currency: payment.currency,
  invoiceAppliedMinor,
});
