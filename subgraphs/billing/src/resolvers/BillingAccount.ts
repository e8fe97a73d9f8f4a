import type { BillingAccountResolvers } from "../generated/graphql.js";

export const BillingAccount: BillingAccountResolvers = {
  patient: (account) => ({ id: account.patientId }),
  credit: (account) => ({ amountMinor: account.creditMinor, currency: account.currency }),
  prepaid: (account) => ({ amountMinor: account.prepaidMinor, currency: account.currency }),
  outstanding: (account) => ({ amountMinor: account.outstandingMinor, currency: account.currency }),
};
