import type { UserResolvers } from "../generated/graphql.js";
import { assertCanReadUser } from "../domain/policy.js";

export const User: UserResolvers = {
  async __resolveReference(ref, ctx) {
    const user = await ctx.loaders.users.load(ref.id);
    if (!user) return null;
    assertCanReadUser(ctx.identity, user);
    return user;
  },
  // ADMIN only (the router enforces @requiresScopes; a call that reaches accounts otherwise still reads null).
  deactivatedAt: (user, _, ctx) => (ctx.identity.role === "ADMIN" ? user.deactivatedAt : null),
  deactivationReason: (user, _, ctx) => (ctx.identity.role === "ADMIN" ? user.deactivationReason : null),
};
