/** The resolver map: one entry per schema type, each in the file named after it. */
import { DateScalar, DateTimeScalar } from "@clinigraph/platform";
import type { Resolvers } from "../generated/graphql.js";
import { DoctorBreakdown } from "./DoctorBreakdown.js";
import { KpiPoint } from "./KpiPoint.js";
import { Mutation } from "./Mutation.js";
import { Query } from "./Query.js";
import { QueryBreakdowns } from "./QueryBreakdowns.js";
import { ServiceBreakdown } from "./ServiceBreakdown.js";
import { SpecialtyBreakdown } from "./SpecialtyBreakdown.js";
import { Subscription } from "./Subscription.js";

export const resolvers: Resolvers = {
  DateTime: DateTimeScalar,
  Date: DateScalar,
  Query: { ...Query, ...QueryBreakdowns },
  Mutation,
  Subscription,
  KpiPoint,
  DoctorBreakdown,
  SpecialtyBreakdown,
  ServiceBreakdown,
};
