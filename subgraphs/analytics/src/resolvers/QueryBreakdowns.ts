/** Query fields of the breakdowns and the CSV export (merged into the Query resolvers in index.ts). */
import type { QueryResolvers } from "../generated/graphql.js";
import { kpisByDoctor, kpisBySpecialty, load, topServices } from "../domain/breakdowns.js";
import { kpisCsv } from "../domain/kpiCsv.js";

const day = (date: Date) => date.toISOString().slice(0, 10);

export const QueryBreakdowns: Pick<QueryResolvers, "kpisCsv" | "kpisByDoctor" | "kpisBySpecialty" | "topServices" | "load"> = {
  kpisCsv: async (_parent, args, ctx) =>
    kpisCsv(ctx.deps, await ctx.actor(), { from: day(args.from), to: day(args.to), granularity: args.granularity, filter: args.filter }),
  kpisByDoctor: async (_parent, args, ctx) => kpisByDoctor(ctx.deps, await ctx.actor(), { from: day(args.from), to: day(args.to), filter: args.filter }),
  kpisBySpecialty: async (_parent, args, ctx) => kpisBySpecialty(ctx.deps, await ctx.actor(), { from: day(args.from), to: day(args.to), filter: args.filter }),
  topServices: async (_parent, args, ctx) =>
    topServices(ctx.deps, await ctx.actor(), { from: day(args.from), to: day(args.to), filter: args.filter, first: args.first }),
  load: async (_parent, args, ctx) => load(ctx.deps, await ctx.actor(), { from: day(args.from), to: day(args.to), filter: args.filter }),
};
