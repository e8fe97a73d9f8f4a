import type { QueryResolvers } from "../generated/graphql.js";
import { accountOf } from "../domain/credit.js";
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
  myBillingAccount: async (_parent, _args, ctx) => {
    const actor = await ctx.actor();
    return accountOf(ctx.deps, actor, actor.userId);
  },
  billingAccount: async (_parent, { patientId }, ctx) => {
    const account = await accountOf(ctx.deps, await ctx.actor(), patientId);
    await ctx.reads.invoices([account]);
    return account;
  },
  invoicePdf: async (_parent, { id }, ctx) => {
    const document = await invoicePdf(ctx.deps, await ctx.actor(), id);
    await ctx.reads.invoices(document ? [document.invoice] : []);
    return document;
  },
};
