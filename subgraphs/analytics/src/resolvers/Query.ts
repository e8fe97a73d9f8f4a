import type { QueryResolvers } from "../generated/graphql.js";
import { kpis } from "../domain/kpis.js";
import { serviceStatus } from "../domain/status.js";

const day = (date: Date) => date.toISOString().slice(0, 10);

export const Query: QueryResolvers = {
  kpis: async (_parent, args, ctx) =>
    kpis(ctx.deps, await ctx.actor(), { from: day(args.from), to: day(args.to), granularity: args.granularity, filter: args.filter }),
  analyticsStatus: async (_parent, _args, ctx) => serviceStatus(ctx.deps, await ctx.actor()),
};
