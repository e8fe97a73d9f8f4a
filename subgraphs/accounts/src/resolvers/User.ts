import type { UserResolvers } from "../generated/graphql.js";
import { assertCanReadUser } from "../domain/policy.js";

export const User: UserResolvers = {
  async __resolveReference(ref, ctx) {
    const user = await ctx.loaders.users.load(ref.id);
    if (!user) return null;
    assertCanReadUser(ctx.identity, user);
    return user;
  },
};
