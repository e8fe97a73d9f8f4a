import type { MedicalServiceResolvers } from "../generated/graphql.js";

export const MedicalService: MedicalServiceResolvers = {
  __resolveReference: (ref, ctx) => ctx.loaders.serviceById.load(ref.id),
};
