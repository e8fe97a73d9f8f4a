import type { MutationResolvers } from "../generated/graphql.js";
import { applyCredit } from "../domain/credit.js";
import { issueCreditNote } from "../domain/creditNotes.js";
import { issueInvoice } from "../domain/invoices.js";
import { payInvoice } from "../domain/online.js";
import { prepayAppointment } from "../domain/prepayments.js";
import { recordPayment } from "../domain/payments.js";
import { refundPayment } from "../domain/refunds.js";
import { setServicePrice } from "../domain/prices.js";

export const Mutation: MutationResolvers = {
  setServicePrice: async (_parent, args, ctx) => setServicePrice(ctx.deps, await ctx.actor(), args),
  issueInvoice: async (_parent, { id }, ctx) => issueInvoice(ctx.deps, await ctx.actor(), id),
  recordPayment: async (_parent, args, ctx) => recordPayment(ctx.deps, await ctx.actor(), args),
  payInvoice: async (_parent, args, ctx) => payInvoice(ctx.deps, await ctx.actor(), args),
  prepayAppointment: async (_parent, args, ctx) => prepayAppointment(ctx.deps, await ctx.actor(), args),
  applyCredit: async (_parent, { invoiceId }, ctx) => applyCredit(ctx.deps, await ctx.actor(), invoiceId),
  refundPayment: async (_parent, args, ctx) => refundPayment(ctx.deps, await ctx.actor(), args),
  issueCreditNote: async (_parent, args, ctx) => issueCreditNote(ctx.deps, await ctx.actor(), args),
};
