/**
 * Corrections of issued invoices: an issued invoice never changes; a credit note — its negative, numbered in the
 * same gapless sequence and referencing it, with the reason — voids it (BILLING, ADMIN). An invoice that still holds
 * payments is not voided: refund them first (the money must go back, or stay as the patient's credit, by decision).
 */
import { randomUUID } from "node:crypto";
import { badInput, conflict, dayIn, forbidden, isUuid, notFound } from "@clinigraph/platform";
import type { Deps } from "./deps.js";
import { invoiceEvent } from "./issue.js";
import { invoiceNumber } from "./money.js";
import type { Actor, Invoice } from "./types.js";

const negative = (value: number | null) => (value === null ? null : -value);

export async function issueCreditNote(
  deps: Pick<Deps, "unitOfWork" | "settings" | "clock">,
  actor: Actor,
  input: { invoiceId: string; reason: string },
): Promise<Invoice> {
  if (actor.role !== "BILLING" && actor.role !== "ADMIN") throw forbidden("Only billing staff and administrators issue credit notes");
  if (!isUuid(input.invoiceId)) throw badInput("invoiceId must be an id", "invoiceId");
  const reason = input.reason.trim();
  if (reason.length === 0 || reason.length > 500) throw badInput("A credit note needs a reason (at most 500 characters)", "reason");
  return deps.unitOfWork.run(async (tx) => {
    const invoice = await tx.invoices.lock(input.invoiceId);
    if (!invoice) throw notFound("No such invoice");
    if (invoice.kind === "CREDIT_NOTE" || invoice.status === "DRAFT" || invoice.status === "VOID")
      throw conflict(
        `A ${invoice.status === "DRAFT" ? "draft" : invoice.kind === "CREDIT_NOTE" ? "credit note" : "void invoice"} cannot be credited`,
        "INVALID_STATE",
      );
    if (invoice.paidMinor > 0) throw conflict("The invoice holds payments: refund them before crediting it", "INVALID_STATE");
    const now = deps.clock();
    const year = Number(dayIn(now, deps.settings.timezone).slice(0, 4));
    const note: Invoice = {
      ...invoice,
      id: randomUUID(),
      kind: "CREDIT_NOTE",
      creditFor: invoice.id,
      reason,
      status: "DRAFT",
      number: null,
      issuedAt: null,
      encounterId: null,
      netMinor: -invoice.netMinor,
      taxMinor: -invoice.taxMinor,
      totalMinor: -invoice.totalMinor,
      paidMinor: 0,
      createdAt: now,
      lines: invoice.lines.map((line) => ({
        ...line,
        id: randomUUID(),
        sourceKey: `credit:${line.id}`,
        unitPriceMinor: negative(line.unitPriceMinor),
        netMinor: negative(line.netMinor),
        taxMinor: negative(line.taxMinor),
        totalMinor: negative(line.totalMinor),
      })),
    };
    if (!(await tx.invoices.createWithLines(note, now))) throw conflict("The invoice was credited already", "INVALID_STATE");
    const issued: Invoice = { ...note, number: invoiceNumber(year, await tx.invoices.nextNumber(year)), status: "ISSUED", issuedAt: now };
    await tx.invoices.save(issued, now);
    const voided: Invoice = { ...invoice, status: "VOID" };
    await tx.invoices.save(voided, now);
    await tx.outbox.append("InvoiceIssued", { id: issued.id, ...invoiceEvent(issued) }, now);
    await tx.outbox.append("InvoiceVoided", { id: voided.id, ...invoiceEvent(voided) }, now);
    return issued;
  });
}
