import type { QueryResolvers } from "../generated/graphql.js";
import { invoicePdf, listInvoices, myInvoices, readInvoice } from "../domain/reads.js";

export const Query: QueryResolvers = {
  myInvoices: async (_parent, args, ctx) => myInvoices(ctx.deps, await ctx.actor(), args),
  invoice: async (_parent, { id }, ctx) => readInvoice(ctx.deps, await ctx.actor(), id),
  invoices: async (_parent, args, ctx) => listInvoices(ctx.deps, await ctx.actor(), args),
  invoicePdf: async (_parent, { id }, ctx) => invoicePdf(ctx.deps, await ctx.actor(), id),
};
