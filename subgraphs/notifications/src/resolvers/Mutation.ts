import type { MutationResolvers } from "../generated/graphql.js";
import { updatePreferences } from "../domain/preferences.js";

export const Mutation: MutationResolvers = {
  updateNotificationPreferences: async (_parent, { input }, ctx) => updatePreferences(ctx.deps, await ctx.actor(), input),
};
