import type { DoctorBreakdownResolvers } from "../generated/graphql.js";
import { money } from "../domain/types.js";

export const DoctorBreakdown: DoctorBreakdownResolvers = {
  // A reference the doctors subgraph resolves through the router.
  doctor: (row) => ({ __typename: "Doctor", id: row.doctorId }),
  invoiced: (row, _args, ctx) => money(row.invoicedMinor, ctx.deps.settings.currency),
  collected: (row, _args, ctx) => money(row.collectedMinor, ctx.deps.settings.currency),
};
