import type { InvoiceResolvers } from "../generated/graphql.js";
import { paymentsOf, readInvoice } from "../domain/reads.js";

const money = (amountMinor: number, currency: string) => ({ amountMinor, currency });

export const Invoice: InvoiceResolvers = {
  __resolveReference: async (ref, ctx) => {
    const invoice = await readInvoice(ctx.deps, await ctx.actor(), ref.id);
    await ctx.reads.invoices([invoice]);
    return invoice;
  },
  patient: (invoice) => ({ id: invoice.patientId }),
  kind: (invoice) => invoice.kind ?? "INVOICE",
  creditFor: async (invoice, _args, ctx) => (invoice.creditFor ? readInvoice(ctx.deps, await ctx.actor(), invoice.creditFor) : null),
  visitDate: (invoice) => new Date(`${invoice.visitDate}T00:00:00Z`),
  net: (invoice) => money(invoice.netMinor, invoice.currency),
  tax: (invoice) => money(invoice.taxMinor, invoice.currency),
  total: (invoice) => money(invoice.totalMinor, invoice.currency),
  paid: (invoice) => money(invoice.paidMinor, invoice.currency),
  balance: (invoice) => money(invoice.totalMinor - invoice.paidMinor, invoice.currency),
  lines: (invoice) => invoice.lines.map((line) => ({ ...line, currency: invoice.currency })),
  payments: (invoice, _args, ctx) => paymentsOf(ctx.deps, invoice),
};
