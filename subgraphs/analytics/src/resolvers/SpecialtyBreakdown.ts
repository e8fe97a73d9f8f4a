import type { SpecialtyBreakdownResolvers } from "../generated/graphql.js";
import { money } from "../domain/types.js";

export const SpecialtyBreakdown: SpecialtyBreakdownResolvers = {
  invoiced: (row, _args, ctx) => money(row.invoicedMinor, ctx.deps.settings.currency),
  collected: (row, _args, ctx) => money(row.collectedMinor, ctx.deps.settings.currency),
};
