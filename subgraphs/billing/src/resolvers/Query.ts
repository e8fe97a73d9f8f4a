import type { QueryResolvers } from "../generated/graphql.js";
import { invoicePdf, listInvoices, myInvoices, readInvoice } from "../domain/reads.js";

export const Query: QueryResolvers = {
  myInvoices: async (_parent, args, ctx) => myInvoices(ctx.deps, await ctx.actor(), args),
  invoice: async (_parent, { id }, ctx) => {
    const invoice = await readInvoice(ctx.deps, await ctx.actor(), id);
    await ctx.reads.invoices([invoice]);
    return invoice;
  },
  invoices: async (_parent, args, ctx) => {
    const page = await listInvoices(ctx.deps, await ctx.actor(), args);
    await ctx.reads.invoices(page.edges.map((edge) => edge.node));
    return page;
  },
  invoicePdf: async (_parent, { id }, ctx) => {
    const document = await invoicePdf(ctx.deps, await ctx.actor(), id);
    await ctx.reads.invoices(document ? [document.invoice] : []);
    return document;
  },
};
