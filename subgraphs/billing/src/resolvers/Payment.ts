import type { PaymentResolvers } from "../generated/graphql.js";
import { readInvoice } from "../domain/reads.js";
import { creditLeft } from "../domain/types.js";

export const Payment: PaymentResolvers = {
  amount: (payment) => ({ amountMinor: payment.amountMinor, currency: payment.currency }),
  invoice: async (payment, _args, ctx) => (payment.invoiceId ? readInvoice(ctx.deps, await ctx.actor(), payment.invoiceId) : null),
  appointment: (payment) => (payment.appointmentId ? { id: payment.appointmentId } : null),
  creditLeft: (payment) => ({ amountMinor: creditLeft(payment), currency: payment.currency }),
  credit: (payment) => ({ amountMinor: payment.creditMinor, currency: payment.currency }),
  refunded: (payment) => ({ amountMinor: payment.refundedMinor, currency: payment.currency }),
};
