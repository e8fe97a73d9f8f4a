import type { UserRecord } from "../data/users.js";
import type { AccountsContext } from "../context.js";
import { assertCanReadUser } from "../domain/policy.js";

export const User = {
  async __resolveReference(ref: { id: string }, ctx: AccountsContext): Promise<UserRecord | null> {
    const user = await ctx.userLoader.load(ref.id);
    if (!user) return null;
    assertCanReadUser(ctx.identity, user);
    return user;
  },
};
