import type { KpiPointResolvers } from "../generated/graphql.js";

export const KpiPoint: KpiPointResolvers = {
  period: (point) => new Date(`${point.period}T00:00:00Z`),
};
