/**
 * The patient's credit: what a payment brought beyond its invoice's balance, and prepayments (money paid online
 * ahead of a visit, all of it credit until the visit's invoice uses it). Credit is spent by CREDIT payments: when an
 * invoice is issued, and when billing or reception applies it to an open invoice. A prepayment is held for its own
 * appointment while that is ahead; once the visit took place (or the patient did not come) what is left of it is
 * ordinary credit. A cancelled or rejected appointment's prepayment is refunded (see prepayments.ts).
 *
 * Every source of credit is locked while it is spent, so two invoices issued at once never spend the same credit.
 */
import { randomUUID } from "node:crypto";
import { badInput, conflict, forbidden, isUuid, notFound } from "@clinigraph/platform";
import type { Deps } from "./deps.js";
import { paidStatus, paymentEvent } from "./payments.js";
import type { TransactionRepositories } from "./ports.js";
import { creditLeft, type Actor, type BillingAccount, type Invoice, type Payment } from "./types.js";

const PAYABLE = new Set(["ISSUED", "PARTIALLY_PAID"]);

/**
 * Spends the patient's credit on an invoice the caller's transaction has locked, up to its balance: the
 * appointment's own prepayments first, then the oldest credit. Returns the invoice as it now stands.
 */
export async function spendCredit(tx: TransactionRepositories, invoice: Invoice, now: Date): Promise<Invoice> {
  if (!PAYABLE.has(invoice.status) || invoice.kind === "CREDIT_NOTE") return invoice;
  let balance = invoice.totalMinor - invoice.paidMinor;
  if (balance <= 0) return invoice;
  let paidMinor = invoice.paidMinor;
  for (const source of await tx.payments.lockCreditSources(invoice.patientId, invoice.appointmentId)) {
    if (balance === 0) break;
    const amountMinor = Math.min(balance, creditLeft(source));
    if (amountMinor <= 0) continue;
    const spent: Payment = {
      id: randomUUID(),
      idempotencyKey: `credit:${randomUUID()}`,
      invoiceId: invoice.id,
      appointmentId: null,
      patientId: invoice.patientId,
      kind: "PAYMENT",
      method: "CREDIT",
      status: "SUCCEEDED",
      amountMinor,
      currency: invoice.currency,
      creditMinor: 0,
      refundedMinor: 0,
      creditOf: source.id,
      recordedBy: null,
      createdAt: now,
    };
    await tx.payments.add(spent);
    await tx.payments.record(source.id, { creditAppliedMinor: (source.creditAppliedMinor ?? 0) + amountMinor });
    await tx.outbox.append("PaymentReceived", { id: invoice.patientId, ...paymentEvent(spent, amountMinor) }, now);
    balance -= amountMinor;
    paidMinor += amountMinor;
  }
  if (paidMinor === invoice.paidMinor) return invoice;
  const updated: Invoice = { ...invoice, paidMinor, status: paidStatus(paidMinor, invoice.totalMinor) };
  await tx.invoices.save(updated, now);
  return updated;
}

/** BILLING, RECEPTIONIST: applies the patient's credit to an open invoice (issued before the credit arose). */
export async function applyCredit(deps: Pick<Deps, "unitOfWork" | "clock">, actor: Actor, invoiceId: string): Promise<Invoice> {
  if (actor.role !== "BILLING" && actor.role !== "RECEPTIONIST") throw forbidden("Credit is applied by the billing desk and reception");
  if (!isUuid(invoiceId)) throw badInput("invoiceId must be an id", "invoiceId");
  return deps.unitOfWork.run(async (tx) => {
    const invoice = await tx.invoices.lock(invoiceId);
    if (!invoice) throw notFound("No such invoice");
    if (!PAYABLE.has(invoice.status) || invoice.kind === "CREDIT_NOTE")
      throw conflict(`The invoice is ${invoice.status}: it takes no payment`, "INVOICE_NOT_PAYABLE");
    return spendCredit(tx, invoice, deps.clock());
  });
}

/** The patient's account: the patient themself; BILLING, RECEPTIONIST and ADMIN (their reads are audited by the caller). */
export async function accountOf(deps: Pick<Deps, "invoices" | "settings">, actor: Actor, patientId: string): Promise<BillingAccount> {
  const staff = actor.role === "BILLING" || actor.role === "RECEPTIONIST" || actor.role === "ADMIN";
  if (!staff && !(actor.role === "PATIENT" && actor.userId === patientId)) throw forbidden("Only the patient and the billing desk see a patient's account");
  if (!isUuid(patientId)) throw badInput("patientId must be an id", "patientId");
  return { patientId, currency: deps.settings.currency, ...(await deps.invoices.accountOf(patientId)) };
}
