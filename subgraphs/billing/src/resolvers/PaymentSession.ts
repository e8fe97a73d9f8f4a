import type { PaymentSessionResolvers } from "../generated/graphql.js";

export const PaymentSession: PaymentSessionResolvers = {
  amount: (session) => ({ amountMinor: session.amountMinor, currency: session.currency }),
};
