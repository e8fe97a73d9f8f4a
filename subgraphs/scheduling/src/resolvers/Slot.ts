import type { DoctorResolvers, SlotResolvers } from "../generated/graphql.js";

export const Slot: SlotResolvers = {
  __resolveReference: (ref, ctx) => ctx.loaders.slots.load(ref.id),
  doctor: (s) => ({ id: s.doctorId }),
};

/**
 * The router asks for Doctor.name here only on a slot's doctor (`@provides`), from scheduling's copy of the profile:
 * the names of a page of slots in one query, and no call to the doctors subgraph. A slot exists only once its doctor's
 * profile was synced (in the same transaction), so the name is there.
 */
export const Doctor: DoctorResolvers = {
  name: async (d, _args, ctx) => {
    const name = await ctx.loaders.doctorNames.load(d.id);
    if (name === null) throw new Error(`scheduling has no profile for doctor ${d.id}`);
    return name;
  },
};
