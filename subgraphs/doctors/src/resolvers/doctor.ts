import type { DoctorsContext } from "../context.js";
import type { Doctor as DoctorRecord } from "../domain/types.js";

export const Doctor = {
  __resolveReference: (ref: { id: string }, ctx: DoctorsContext) => ctx.loaders.doctorById.load(ref.id),
  user: (doctor: DoctorRecord) => ({ __typename: "User", id: doctor.userId }),
  specialty: async (doctor: DoctorRecord, _: unknown, ctx: DoctorsContext) => {
    const specialty = await ctx.loaders.specialtyById.load(doctor.specialtyId);
    if (!specialty) throw new Error("Doctor without specialty"); // impossible: foreign key
    return specialty;
  },
  services: (doctor: DoctorRecord, _: unknown, ctx: DoctorsContext) => ctx.loaders.servicesByDoctorId.load(doctor.id),
  weeklySchedule: (doctor: DoctorRecord, _: unknown, ctx: DoctorsContext) => ctx.loaders.rulesByDoctorId.load(doctor.id),
  timeOff: (doctor: DoctorRecord, _: unknown, ctx: DoctorsContext) => ctx.loaders.timeOffByDoctorId.load(doctor.id),
};
