import type { DoctorResolvers } from "../generated/graphql.js";

export const Doctor: DoctorResolvers = {
  __resolveReference: (ref, ctx) => ctx.loaders.doctorById.load(ref.id),
  user: (doctor) => ({ __typename: "User", id: doctor.userId }),
  specialty: async (doctor, _args, ctx) => {
    const specialty = await ctx.loaders.specialtyById.load(doctor.specialtyId);
    if (!specialty) throw new Error("Doctor without specialty"); // impossible: foreign key
    return specialty;
  },
  services: (doctor, _args, ctx) => ctx.loaders.servicesByDoctorId.load(doctor.id),
  weeklySchedule: (doctor, _args, ctx) => ctx.loaders.rulesByDoctorId.load(doctor.id),
  timeOff: (doctor, _args, ctx) => ctx.loaders.timeOffByDoctorId.load(doctor.id),
  upcomingSchedules: (doctor, _args, ctx) => ctx.loaders.upcomingByDoctorId.load(doctor.id),
  extraHours: (doctor, _args, ctx) => ctx.loaders.extraHoursByDoctorId.load(doctor.id),
};
