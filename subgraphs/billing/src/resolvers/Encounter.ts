import type { EncounterResolvers } from "../generated/graphql.js";
import { invoiceOfEncounter } from "../domain/reads.js";

export const Encounter: EncounterResolvers = {
  __resolveReference: (ref) => ({ id: ref.id }),
  invoice: async (encounter, _args, ctx) => {
    const invoice = await invoiceOfEncounter(ctx.deps, await ctx.actor(), encounter.id);
    await ctx.reads.invoices([invoice]);
    return invoice;
  },
};
