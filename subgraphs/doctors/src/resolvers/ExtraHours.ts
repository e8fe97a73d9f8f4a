import type { ExtraHoursResolvers } from "../generated/graphql.js";

export const ExtraHours: ExtraHoursResolvers = {
  from: (extra) => extra.startsAt,
  to: (extra) => extra.endsAt,
  doctor: async (extra, _args, ctx) => {
    const doctor = await ctx.loaders.doctorById.load(extra.doctorId);
    if (!doctor) throw new Error("Extra hours without doctor"); // impossible: foreign key
    return doctor;
  },
};
