import type { MutationResolvers } from "../generated/graphql.js";
import { importVisitsCsv } from "../domain/importVisits.js";

export const Mutation: MutationResolvers = {
  importVisitsCsv: async (_parent, { csv }, ctx) => importVisitsCsv(ctx.deps, await ctx.actor(), csv),
};
