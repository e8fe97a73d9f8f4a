import type { DoctorResolvers, SlotResolvers } from "../generated/graphql.js";

export const Slot: SlotResolvers = {
  __resolveReference: (ref, ctx) => ctx.loaders.slots.load(ref.id),
  doctor: (s) => (s.doctorName === undefined ? { id: s.doctorId } : { id: s.doctorId, name: s.doctorName }),
};

/**
 * The router asks for Doctor.name here only on a slot's doctor (`@provides`), from scheduling's copy of the profile:
 * read with the slots by searches and alternatives, else the names of a page in one query; never a call to the doctors
 * subgraph. A slot exists only once its doctor's profile was synced (in the same transaction), so the name is there.
 */
export const Doctor: DoctorResolvers = {
  // Synchronous when the slot's read carried the name (a page of search results: no promise per slot).
  name: (d, _args, ctx) => d.name ?? namedOrFail(ctx.loaders.doctorNames.load(d.id), d.id),
};

async function namedOrFail(name: Promise<string | null>, doctorId: string): Promise<string> {
  const found = await name;
  if (found === null) throw new Error(`scheduling has no profile for doctor ${doctorId}`);
  return found;
}
