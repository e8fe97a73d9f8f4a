import type { PatientResolvers } from "../generated/graphql.js";
import { accountOf } from "../domain/credit.js";

export const Patient: PatientResolvers = {
  __resolveReference: (ref) => ({ id: ref.id }),
  billingAccount: async (patient, _args, ctx) => {
    const account = await accountOf(ctx.deps, await ctx.actor(), patient.id);
    await ctx.reads.invoices([account]);
    return account;
  },
};
