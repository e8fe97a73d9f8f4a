import { FACTS_CHANGED_TOPIC, kpisToday } from "../domain/today.js";
import type { SubscriptionResolvers } from "../generated/graphql.js";

export const Subscription: SubscriptionResolvers = {
  kpisToday: {
    async subscribe(_parent, _args, ctx) {
      const actor = await ctx.actor();
      // Only changes from now on: the first figures are today's as they stand.
      const changes = ctx.live.subscribe(FACTS_CHANGED_TOPIC, null);
      const points = kpisToday(ctx.deps, actor, changes);
      return (async function* () {
        for await (const point of points) yield { kpisToday: point };
      })();
    },
  },
};
