import type { DoctorsContext } from "../context.js";

export const MedicalService = {
  __resolveReference: (ref: { id: string }, ctx: DoctorsContext) => ctx.loaders.serviceById.load(ref.id),
};
