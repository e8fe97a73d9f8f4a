/**
 * Refunds (BILLING, ADMIN): up to what a payment brought and has not yet been refunded, with a reason. The refund
 * gives back the payment's credit first, then what it paid of the invoice (whose status moves back). An online
 * payment is refunded through its provider, with the refund's id as idempotency key.
 */
import { randomUUID } from "node:crypto";
import { badInput, conflict, forbidden, isUuid, notFound, serviceUnavailable } from "@clinigraph/platform";
import type { Deps } from "./deps.js";
import { paidStatus, paymentEvent } from "./payments.js";
import { ProviderUnavailable } from "./ports.js";
import type { Actor, Payment } from "./types.js";

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
    const invoice = await tx.invoices.lock(paid.invoiceId);
    if (!invoice) throw notFound("No such invoice");
    const refundable = paid.amountMinor - paid.refundedMinor;
    if (amountMinor > refundable)
      throw conflict(`At most ${refundable} minor units of this payment can still be refunded`, "REFUND_EXCEEDS_PAID", "amount.amountMinor");
    const now = deps.clock();
    const id = randomUUID();
    let providerRef: string | null = null;
    if (paid.method === "ONLINE") {
      if (!paid.providerRef) throw conflict("The online payment has no provider reference", "INVALID_STATE");
      try {
        providerRef = (await deps.provider.refund(paid.providerRef, amountMinor, id)).refundRef;
      } catch (err) {
        if (err instanceof ProviderUnavailable) throw serviceUnavailable("The payment provider cannot be reached; try again");
        throw err;
      }
    }
    // Credit first, then the part that paid the invoice.
    const fromInvoice = (refunded: number) => Math.max(0, refunded - paid.creditMinor);
    const invoiceShare = fromInvoice(paid.refundedMinor + amountMinor) - fromInvoice(paid.refundedMinor);
    const refund: Payment = {
      id,
      idempotencyKey: `refund:${id}`,
      invoiceId: invoice.id,
      patientId: invoice.patientId,
      kind: "REFUND",
      method: paid.method,
      status: "SUCCEEDED",
      amountMinor,
      currency,
      creditMinor: 0,
      refundedMinor: 0,
      refundOf: paid.id,
      reason,
      providerRef,
      recordedBy: actor.userId,
      createdAt: now,
    };
    await tx.payments.add(refund);
    await tx.payments.setRefunded(paid.id, paid.refundedMinor + amountMinor);
    const paidMinor = invoice.paidMinor - invoiceShare;
    await tx.invoices.save({ ...invoice, paidMinor, status: paidStatus(paidMinor, invoice.totalMinor) }, now);
    await tx.outbox.append("PaymentRefunded", { id: invoice.id, ...paymentEvent(refund) }, now);
    return refund;
  });
}
