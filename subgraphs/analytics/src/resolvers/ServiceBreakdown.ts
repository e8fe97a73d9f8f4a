import type { ServiceBreakdownResolvers } from "../generated/graphql.js";
import { money } from "../domain/types.js";

export const ServiceBreakdown: ServiceBreakdownResolvers = {
  // A reference the doctors subgraph resolves through the router.
  service: (row) => ({ __typename: "MedicalService", id: row.serviceId }),
  invoiced: (row, _args, ctx) => money(row.invoicedMinor, ctx.deps.settings.currency),
};
