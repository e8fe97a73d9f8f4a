import type { MutationResolvers } from "../generated/graphql.js";
import { updatePreferences } from "../domain/preferences.js";
import { registerPushSubscription, unregisterPushSubscription } from "../domain/push.js";

export const Mutation: MutationResolvers = {
  updateNotificationPreferences: async (_parent, { input }, ctx) => updatePreferences(ctx.deps, await ctx.actor(), input),
  registerPushSubscription: async (_parent, { input }, ctx) => registerPushSubscription(ctx.deps, await ctx.actor(), input),
  unregisterPushSubscription: async (_parent, { endpoint }, ctx) => unregisterPushSubscription(ctx.deps, await ctx.actor(), endpoint),
};
