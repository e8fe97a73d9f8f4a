import { listDoctors } from "../domain/listDoctors.js";
import { previewScheduleTemplate } from "../domain/previewScheduleTemplate.js";
import { getScheduleTemplate, listScheduleTemplates } from "../domain/scheduleTemplateCrud.js";
import type { QueryResolvers } from "../generated/graphql.js";

export const Query: QueryResolvers = {
  doctors: (_parent, args, ctx) => listDoctors(ctx.deps, args),
  doctor: (_parent, { id }, ctx) => ctx.loaders.doctorById.load(id),
  myDoctor: (_parent, _args, ctx) => (ctx.identity?.userId ? ctx.deps.doctors.findByUserId(ctx.identity.userId) : null),
  specialties: (_parent, { includeRetired }, ctx) => ctx.deps.catalogue.listSpecialties(includeRetired ?? false),
  medicalServices: (_parent, { kind, includeRetired }, ctx) => ctx.deps.catalogue.listServices(kind ?? undefined, includeRetired ?? false),
  scheduleTemplates: async (_parent, _args, ctx) => listScheduleTemplates(ctx.deps, await ctx.actor()),
  scheduleTemplate: async (_parent, { id }, ctx) => getScheduleTemplate(ctx.deps, await ctx.actor(), id),
  previewScheduleTemplate: async (_parent, args, ctx) => previewScheduleTemplate(ctx.deps, await ctx.actor(), args),
};
