import type { PaymentResolvers } from "../generated/graphql.js";

export const Payment: PaymentResolvers = {
  amount: (payment) => ({ amountMinor: payment.amountMinor, currency: payment.currency }),
  credit: (payment) => ({ amountMinor: payment.creditMinor, currency: payment.currency }),
  refunded: (payment) => ({ amountMinor: payment.refundedMinor, currency: payment.currency }),
};
