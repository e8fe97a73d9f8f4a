/** The resolver map: one entry per schema type, each in the file named after it. */
import type { Resolvers } from "../generated/graphql.js";
import { Mutation } from "./Mutation.js";
import { Query } from "./Query.js";

export const resolvers: Resolvers = {
  Query,
  Mutation,
};
