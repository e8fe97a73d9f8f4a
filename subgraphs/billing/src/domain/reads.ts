/**
 * Who reads invoices: the patient their own; BILLING, RECEPTIONIST (the desk takes payments) and ADMIN anyone's;
 * doctors, examiners and stakeholders never (stakeholders see revenue only as aggregates, in analytics). A DRAFT is
 * shown priced as of its visit day (prices are fixed when it is issued).
 */
import { badInput, decodeCursor, forbidden, isUuid, pageSize, toConnection, type Connection } from "@clinigraph/platform";
import type { Deps } from "./deps.js";
import { priced } from "./issue.js";
import type { Actor, Invoice, InvoiceStatus, Payment } from "./types.js";
import { INVOICE_STATUSES } from "./types.js";

const STAFF_READERS = new Set(["BILLING", "RECEPTIONIST", "ADMIN"]);

export const canReadInvoice = (actor: Actor, invoice: Pick<Invoice, "patientId">) => STAFF_READERS.has(actor.role) || actor.userId === invoice.patientId;

/** The invoice as its reader sees it (a draft priced as of today's prices for its visit day), or null. */
async function shown(deps: Pick<Deps, "prices">, actor: Actor, invoice: Invoice | null): Promise<Invoice | null> {
  if (!invoice) return null;
  if (!canReadInvoice(actor, invoice)) throw forbidden("Only the patient and the billing desk read an invoice");
  return invoice.status === "DRAFT" ? priced(deps, invoice) : invoice;
}

export async function readInvoice(deps: Pick<Deps, "invoices" | "prices">, actor: Actor, id: string): Promise<Invoice | null> {
  if (!isUuid(id)) throw badInput("id must be an id", "id");
  return shown(deps, actor, await deps.invoices.find(id));
}

export async function invoiceOfEncounter(deps: Pick<Deps, "invoices" | "prices">, actor: Actor, encounterId: string): Promise<Invoice | null> {
  return shown(deps, actor, await deps.invoices.findByEncounter(encounterId));
}

export async function invoiceOfAppointment(deps: Pick<Deps, "invoices" | "prices">, actor: Actor, appointmentId: string): Promise<Invoice | null> {
  return shown(deps, actor, await deps.invoices.findByAppointment(appointmentId));
}

export interface InvoicePage {
  first?: number | null;
  after?: string | null;
}

function afterKey(after: string | null | undefined) {
  const key = decodeCursor(after, 2);
  if (!key) return null;
  const [createdAt, id] = key;
  if (typeof createdAt !== "string" || Number.isNaN(Date.parse(createdAt)) || !isUuid(id)) throw badInput("Invalid cursor", "after");
  return { createdAt: new Date(createdAt), id };
}

const keyOf = (invoice: Invoice) => [invoice.createdAt.toISOString(), invoice.id];

async function page(
  deps: Pick<Deps, "invoices" | "prices">,
  filter: Parameters<Deps["invoices"]["list"]>[0],
  input: InvoicePage,
): Promise<Connection<Invoice>> {
  const first = pageSize(input.first);
  const rows = await deps.invoices.list(filter, first + 1, afterKey(input.after));
  const connection = toConnection(rows, first, keyOf, input.after != null);
  return {
    ...connection,
    edges: await Promise.all(
      connection.edges.map(async (edge) => ({ ...edge, node: edge.node.status === "DRAFT" ? await priced(deps, edge.node) : edge.node })),
    ),
  };
}

export async function myInvoices(deps: Pick<Deps, "invoices" | "prices">, actor: Actor, input: InvoicePage): Promise<Connection<Invoice>> {
  return page(deps, { patientId: actor.userId }, input);
}

export interface InvoiceFilterInput {
  status?: string | null;
  patientId?: string | null;
  from?: Date | null;
  to?: Date | null;
}

export async function listInvoices(
  deps: Pick<Deps, "invoices" | "prices">,
  actor: Actor,
  input: InvoicePage & { filter?: InvoiceFilterInput | null },
): Promise<Connection<Invoice>> {
  if (!STAFF_READERS.has(actor.role)) throw forbidden("Only the billing desk lists invoices");
  const filter = input.filter ?? {};
  if (filter.patientId != null && !isUuid(filter.patientId)) throw badInput("patientId must be an id", "filter.patientId");
  if (filter.status != null && !(INVOICE_STATUSES as readonly string[]).includes(filter.status)) throw badInput("Unknown status", "filter.status");
  if (filter.from && filter.to && filter.from.getTime() > filter.to.getTime()) throw badInput("from must not be after to", "filter.from");
  return page(deps, { ...filter, status: (filter.status as InvoiceStatus | null | undefined) ?? null }, input);
}

export async function paymentsOf(deps: Pick<Deps, "invoices">, invoice: Invoice): Promise<Payment[]> {
  return deps.invoices.paymentsOf(invoice.id);
}

/** The invoice as a PDF, for whoever may read it. */
export async function invoicePdf(deps: Pick<Deps, "invoices" | "prices" | "documents">, actor: Actor, id: string) {
  const invoice = await readInvoice(deps, actor, id);
  if (!invoice) return null;
  const pdf = await deps.documents.render(invoice);
  return { invoice, filename: `invoice-${invoice.number ?? `draft-${invoice.id}`}.pdf`, contentType: "application/pdf", base64: pdf.toString("base64") };
}

/** The appointment's latest prepayment: the patient; BILLING, RECEPTIONIST and ADMIN. */
export async function prepaymentOfAppointment(deps: Pick<Deps, "invoices">, actor: Actor, appointmentId: string): Promise<Payment | null> {
  if (!STAFF_READERS.has(actor.role) && actor.role !== "PATIENT") throw forbidden("Only the patient and the billing desk see a prepayment");
  const latest = (await deps.invoices.prepaymentsOf(appointmentId)).at(-1) ?? null;
  if (latest && !canReadInvoice(actor, latest)) throw forbidden("Only the patient and the billing desk see a prepayment");
  return latest;
}
