import type { InvoiceLineResolvers } from "../generated/graphql.js";

type Priced = { currency?: string };
const money = (amountMinor: number | null, line: Priced) => (amountMinor === null ? null : { amountMinor, currency: line.currency ?? "" });

export const InvoiceLine: InvoiceLineResolvers = {
  service: (line) => (line.serviceId ? { id: line.serviceId } : null),
  unitPrice: (line) => money(line.unitPriceMinor, line as Priced),
  net: (line) => money(line.netMinor, line as Priced),
  tax: (line) => money(line.taxMinor, line as Priced),
  total: (line) => money(line.totalMinor, line as Priced),
};
