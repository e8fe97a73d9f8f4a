/**
 * Pricing and issuing an invoice. Lines are priced at the prices in force on the visit day; issuing takes the next
 * number of the year's gapless sequence in the same transaction (a rolled-back issue gives it back), fixes the
 * totals and makes the invoice immutable. An invoice of nothing to pay is PAID at once; the patient's credit pays
 * what it can of the rest.
 */
import { conflict, dayIn } from "@clinigraph/platform";
import type { BillingSettings } from "./deps.js";
import { invoiceNumber, invoiceTotals, lineAmounts } from "./money.js";
import { spendCredit } from "./credit.js";
import type { TransactionRepositories } from "./ports.js";
import type { Invoice } from "./types.js";

/** The invoice with its lines priced as of its visit day (lines without a price keep null amounts). */
export async function priced(tx: Pick<TransactionRepositories, "prices">, invoice: Invoice): Promise<Invoice> {
  const serviceIds = invoice.lines.flatMap((line) => (line.serviceId ? [line.serviceId] : []));
  const prices = await tx.prices.inForceMany([...new Set(serviceIds)], invoice.visitDate);
  const lines = invoice.lines.map((line) => {
    if (!line.serviceId) return line; // a fee keeps the amount it was written with
    const price = prices.get(line.serviceId);
    if (!price) return { ...line, unitPriceMinor: null, taxRateBp: null, netMinor: null, taxMinor: null, totalMinor: null };
    return { ...line, unitPriceMinor: price.amountMinor, taxRateBp: price.taxRateBp, ...lineAmounts(price.amountMinor, line.quantity, price.taxRateBp) };
  });
  const totals = invoiceTotals(lines.map((line) => ({ netMinor: line.netMinor ?? 0, taxMinor: line.taxMinor ?? 0, totalMinor: line.totalMinor ?? 0 })));
  return { ...invoice, lines, ...totals };
}

export type IssueOutcome = { issued: true; invoice: Invoice } | { issued: false; invoice: Invoice; why: "NOT_DRAFT" | "PRICE_MISSING" | "NO_LINES" };

/** Issues a DRAFT invoice locked by the caller's transaction. */
export async function issueLocked(tx: TransactionRepositories, settings: BillingSettings, draft: Invoice, now: Date): Promise<IssueOutcome> {
  if (draft.status !== "DRAFT") return { issued: false, invoice: draft, why: "NOT_DRAFT" };
  const invoice = await priced(tx, draft);
  if (invoice.lines.length === 0) return { issued: false, invoice, why: "NO_LINES" };
  if (invoice.lines.some((line) => line.unitPriceMinor === null)) {
    await tx.invoices.save(invoice, now);
    return { issued: false, invoice, why: "PRICE_MISSING" };
  }
  const year = Number(dayIn(now, settings.timezone).slice(0, 4));
  const issued: Invoice = {
    ...invoice,
    number: invoiceNumber(year, await tx.invoices.nextNumber(year)),
    status: invoice.totalMinor === 0 ? "PAID" : "ISSUED",
    issuedAt: now,
  };
  await tx.invoices.save(issued, now);
  // The patient's credit (a prepayment of the visit, an earlier overpayment) pays what it can at once; the event
  // tells what is still due (the patient's e-mail says so).
  const settled = await spendCredit(tx, issued, now);
  await tx.outbox.append("InvoiceIssued", { id: settled.id, ...invoiceEvent(settled) }, now);
  return { issued: true, invoice: settled };
}

/** The payload of invoice events (ids, status, amounts). */
export const invoiceEvent = (invoice: Invoice) => ({
  invoiceId: invoice.id,
  patientId: invoice.patientId,
  number: invoice.number,
  status: invoice.status,
  totalMinor: invoice.totalMinor,
  paidMinor: invoice.paidMinor,
  currency: invoice.currency,
  encounterId: invoice.encounterId,
  appointmentId: invoice.appointmentId,
  doctorId: invoice.doctorId,
  visitDate: invoice.visitDate,
  kind: invoice.kind ?? "INVOICE",
});

/** The error for an invoice that could not be issued by hand. */
export function notIssued(outcome: Exclude<IssueOutcome, { issued: true }>): Error {
  switch (outcome.why) {
    case "PRICE_MISSING":
      return conflict("A line of the invoice has no price for the visit day: set the service's price first", "PRICE_MISSING");
    case "NO_LINES":
      return conflict("The invoice has no lines", "INVALID_STATE");
    case "NOT_DRAFT":
      return conflict(`The invoice is ${outcome.invoice.status}, not a draft`, "INVALID_STATE");
  }
}
