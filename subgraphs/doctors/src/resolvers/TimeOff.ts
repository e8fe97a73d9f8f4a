import { canSeePrivateDetails } from "../domain/policy.js";
import type { TimeOffResolvers } from "../generated/graphql.js";

export const TimeOff: TimeOffResolvers = {
  from: (timeOff) => timeOff.startsAt,
  to: (timeOff) => timeOff.endsAt,
  doctor: async (timeOff, _args, ctx) => {
    const doctor = await ctx.loaders.doctorById.load(timeOff.doctorId);
    if (!doctor) throw new Error("Time off without doctor"); // impossible: foreign key
    return doctor;
  },
  reason: async (timeOff, _args, ctx) => {
    if (timeOff.reason === null) return null;
    const doctor = await ctx.loaders.doctorById.load(timeOff.doctorId);
    return doctor && canSeePrivateDetails(ctx.identity, doctor) ? timeOff.reason : null;
  },
};
