/** The resolver map: one entry per schema type, each in the file named after it. */
import { DateTimeScalar } from "@clinigraph/platform";
import type { Resolvers } from "../generated/graphql.js";
import { Query } from "./Query.js";

export const resolvers: Resolvers = {
  DateTime: DateTimeScalar,
  Query,
};
