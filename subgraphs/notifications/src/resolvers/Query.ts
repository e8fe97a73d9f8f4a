import type { QueryResolvers } from "../generated/graphql.js";
import { listNotifications, myNotifications } from "../domain/log.js";
import { myPreferences } from "../domain/preferences.js";

export const Query: QueryResolvers = {
  myNotificationPreferences: async (_parent, _args, ctx) => myPreferences(ctx.deps, await ctx.actor()),
  myNotifications: async (_parent, args, ctx) => myNotifications(ctx.deps, await ctx.actor(), args),
  notifications: async (_parent, args, ctx) => listNotifications(ctx.deps, await ctx.actor(), args),
  pushPublicKey: (_parent, _args, ctx) => ctx.deps.pushPublicKey,
};
