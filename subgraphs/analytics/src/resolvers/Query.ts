import type { QueryResolvers } from "../generated/graphql.js";
import { serviceStatus } from "../domain/status.js";

export const Query: QueryResolvers = {
  analyticsStatus: async (_parent, _args, ctx) => serviceStatus(ctx.deps, await ctx.actor()),
};
