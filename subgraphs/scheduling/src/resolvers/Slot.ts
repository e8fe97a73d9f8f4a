import type { SlotResolvers } from "../generated/graphql.js";

export const Slot: SlotResolvers = {
  __resolveReference: (ref, ctx) => ctx.loaders.slots.load(ref.id),
  doctor: (s) => ({ __typename: "Doctor", id: s.doctorId }),
};
