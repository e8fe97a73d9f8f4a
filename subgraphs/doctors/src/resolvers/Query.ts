import { listDoctors } from "../domain/listDoctors.js";
import type { QueryResolvers } from "../generated/graphql.js";

export const Query: QueryResolvers = {
  doctors: (_parent, args, ctx) => listDoctors(ctx.deps, args),
  doctor: (_parent, { id }, ctx) => ctx.loaders.doctorById.load(id),
  myDoctor: (_parent, _args, ctx) => (ctx.identity?.userId ? ctx.deps.doctors.findByUserId(ctx.identity.userId) : null),
  specialties: (_parent, { includeRetired }, ctx) => ctx.deps.catalogue.listSpecialties(includeRetired ?? false),
  medicalServices: (_parent, { kind, includeRetired }, ctx) => ctx.deps.catalogue.listServices(kind ?? undefined, includeRetired ?? false),
};
