import type { QueryResolvers } from "../generated/graphql.js";
import { myPreferences } from "../domain/preferences.js";

export const Query: QueryResolvers = {
  myNotificationPreferences: async (_parent, _args, ctx) => myPreferences(ctx.deps, await ctx.actor()),
};
