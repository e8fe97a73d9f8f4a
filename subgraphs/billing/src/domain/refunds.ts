/**
 * Refunds (BILLING, ADMIN): up to what a payment brought and has not yet been refunded or spent on another invoice,
 * with a reason. The refund gives back the payment's credit first, then what it paid of the invoice (whose status
 * moves back). An online payment is refunded through its provider; a CREDIT payment gives its credit back to the
 * payment it came from.
 */
import { randomUUID } from "node:crypto";
import { badInput, conflict, forbidden, isUuid, notFound, serviceUnavailable } from "@clinigraph/platform";
import type { Deps } from "./deps.js";
import { paidStatus, paymentEvent } from "./payments.js";
import { ProviderUnavailable, type PaymentProvider, type TransactionRepositories } from "./ports.js";
import { creditLeft, type Actor, type Payment } from "./types.js";

export interface RefundInput {
  paymentId: string;
  amount: { amountMinor: number; currency: string };
  reason: string;
}

export async function refundPayment(deps: Pick<Deps, "unitOfWork" | "provider" | "settings" | "clock">, actor: Actor, input: RefundInput): Promise<Payment> {
  if (actor.role !== "BILLING" && actor.role !== "ADMIN") throw forbidden("Only billing staff and administrators refund payments");
  if (!isUuid(input.paymentId)) throw badInput("paymentId must be an id", "paymentId");
  const { amountMinor, currency } = input.amount;
  if (currency !== deps.settings.currency) throw badInput(`Refunds are in the clinic's currency, ${deps.settings.currency}`, "amount.currency");
  if (!Number.isInteger(amountMinor) || amountMinor <= 0) throw badInput("amountMinor must be a positive whole number of minor units", "amount.amountMinor");
  const reason = input.reason.trim();
  if (reason.length === 0 || reason.length > 500) throw badInput("A refund needs a reason (at most 500 characters)", "reason");

  return deps.unitOfWork.run(async (tx) => {
    const paid = await tx.payments.lock(input.paymentId);
    if (!paid || paid.kind !== "PAYMENT") throw notFound("No such payment");
    return refundLocked(tx, deps.provider, paid, { amountMinor, reason, recordedBy: actor.userId }, deps.clock());
  });
}

/** What a payment can still give back: the credit it holds, and what it paid of its invoice and was not refunded. */
export function refundable(paid: Payment): number {
  const invoiceShareRefunded = paid.refundedMinor - (paid.creditRefundedMinor ?? 0);
  return creditLeft(paid) + (paid.amountMinor - paid.creditMinor - invoiceShareRefunded);
}

/**
 * Refunds part of a payment the caller's transaction has locked. `idempotencyKey` is what the provider is asked
 * with (default: the refund's own id); a caller that may run twice for one cause passes a key of that cause.
 */
export async function refundLocked(
  tx: TransactionRepositories,
  provider: PaymentProvider,
  paid: Payment,
  fields: { amountMinor: number; reason: string; recordedBy: string | null; idempotencyKey?: string },
  now: Date,
): Promise<Payment> {
  const { amountMinor } = fields;
  const most = refundable(paid);
  if (amountMinor > most) throw conflict(`At most ${most} minor units of this payment can still be refunded`, "REFUND_EXCEEDS_PAID", "amount.amountMinor");
  const invoice = paid.invoiceId ? await tx.invoices.lock(paid.invoiceId) : null;
  if (paid.invoiceId && !invoice) throw notFound("No such invoice");
  const id = randomUUID();
  let providerRef: string | null = null;
  if (paid.method === "ONLINE") {
    if (!paid.providerRef) throw conflict("The online payment has no provider reference", "INVALID_STATE");
    try {
      providerRef = (await provider.refund(paid.providerRef, amountMinor, fields.idempotencyKey ?? id)).refundRef;
    } catch (err) {
      if (err instanceof ProviderUnavailable) throw serviceUnavailable("The payment provider cannot be reached; try again");
      throw err;
    }
  }
  if (paid.method === "CREDIT" && paid.creditOf) {
    // Spent credit goes back to the payment it came from (no money moves).
    const source = await tx.payments.lock(paid.creditOf);
    if (source) await tx.payments.record(source.id, { creditAppliedMinor: (source.creditAppliedMinor ?? 0) - amountMinor });
  }
  // The credit the payment holds goes back first, then what it paid of the invoice.
  const fromCredit = Math.min(amountMinor, creditLeft(paid));
  const invoiceShare = amountMinor - fromCredit;
  const refund: Payment = {
    id,
    idempotencyKey: `refund:${id}`,
    invoiceId: paid.invoiceId,
    appointmentId: paid.appointmentId ?? null,
    patientId: paid.patientId,
    kind: "REFUND",
    method: paid.method,
    status: "SUCCEEDED",
    amountMinor,
    currency: paid.currency,
    creditMinor: 0,
    refundedMinor: 0,
    refundOf: paid.id,
    reason: fields.reason,
    providerRef,
    recordedBy: fields.recordedBy,
    createdAt: now,
  };
  await tx.payments.add(refund);
  await tx.payments.record(paid.id, { refundedMinor: paid.refundedMinor + amountMinor, creditRefundedMinor: (paid.creditRefundedMinor ?? 0) + fromCredit });
  if (invoice && invoiceShare > 0) {
    const paidMinor = invoice.paidMinor - invoiceShare;
    await tx.invoices.save({ ...invoice, paidMinor, status: paidStatus(paidMinor, invoice.totalMinor) }, now);
  }
  await tx.outbox.append("PaymentRefunded", { id: paid.patientId, ...paymentEvent(refund, -(invoice ? invoiceShare : 0)) }, now);
  return refund;
}
