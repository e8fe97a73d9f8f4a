import { money } from "../domain/types.js";
import type { KpiPointResolvers } from "../generated/graphql.js";

export const KpiPoint: KpiPointResolvers = {
  period: (point) => new Date(`${point.period}T00:00:00Z`),
  invoiced: (point, _args, ctx) => money(point.invoicedMinor, ctx.deps.settings.currency),
  collected: (point, _args, ctx) => money(point.collectedMinor, ctx.deps.settings.currency),
  outstanding: (point, _args, ctx) => money(point.outstandingMinor, ctx.deps.settings.currency),
};
