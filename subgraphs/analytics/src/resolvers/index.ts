/** The resolver map: one entry per schema type, each in the file named after it. */
import { DateScalar, DateTimeScalar } from "@clinigraph/platform";
import type { Resolvers } from "../generated/graphql.js";
import { KpiPoint } from "./KpiPoint.js";
import { Mutation } from "./Mutation.js";
import { Query } from "./Query.js";
import { Subscription } from "./Subscription.js";

export const resolvers: Resolvers = {
  DateTime: DateTimeScalar,
  Date: DateScalar,
  Query,
  Mutation,
  Subscription,
  KpiPoint,
};
