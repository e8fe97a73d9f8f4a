import type { DoctorsContext } from "../context.js";
import { canSeePrivateDetails } from "../domain/permissions.js";
import type { TimeOff as TimeOffRecord } from "../domain/types.js";

export const TimeOff = {
  from: (timeOff: TimeOffRecord) => timeOff.startsAt,
  to: (timeOff: TimeOffRecord) => timeOff.endsAt,
  doctor: async (timeOff: TimeOffRecord, _: unknown, ctx: DoctorsContext) => {
    const doctor = await ctx.loaders.doctorById.load(timeOff.doctorId);
    if (!doctor) throw new Error("Time off without doctor"); // impossible: foreign key
    return doctor;
  },
  reason: async (timeOff: TimeOffRecord, _: unknown, ctx: DoctorsContext) => {
    if (timeOff.reason === null) return null;
    const doctor = await ctx.loaders.doctorById.load(timeOff.doctorId);
    return doctor && canSeePrivateDetails(ctx.identity, doctor) ? timeOff.reason : null;
  },
};
