import type { DoctorsContext } from "../context.js";
import { addTimeOff } from "../domain/addTimeOff.js";
import { createDoctor, type CreateDoctorInput } from "../domain/createDoctor.js";
import type { ScheduleRuleInput } from "../domain/scheduleRules.js";
import { setWeeklySchedule } from "../domain/setWeeklySchedule.js";
import { updateDoctor, type UpdateDoctorInput } from "../domain/updateDoctor.js";
import type { Doctor } from "../domain/types.js";

/** What this request's loaders hold about a doctor is stale after a change to it. */
function primeDoctor(ctx: DoctorsContext, doctor: Doctor): Doctor {
  ctx.loaders.doctorById.clear(doctor.id).prime(doctor.id, doctor);
  ctx.loaders.servicesByDoctorId.clear(doctor.id);
  return doctor;
}

/** After a committed change to a doctor's bookable time, scheduling regenerates the free slots. */
const scheduleChanged = (ctx: DoctorsContext, doctorId: string) => ctx.deps.schedule.doctorChanged(doctorId, ctx.identity);

export const Mutation = {
  createDoctor: async (_: unknown, args: { input: CreateDoctorInput }, ctx: DoctorsContext) => {
    const doctor = primeDoctor(ctx, await createDoctor(ctx.identity, args.input, ctx.deps));
    await scheduleChanged(ctx, doctor.id);
    return doctor;
  },

  updateDoctor: async (_: unknown, args: { id: string; input: UpdateDoctorInput }, ctx: DoctorsContext) => {
    const doctor = primeDoctor(ctx, await updateDoctor(ctx.identity, args.id, args.input, ctx.deps));
    await scheduleChanged(ctx, doctor.id);
    return doctor;
  },

  setWeeklySchedule: async (_: unknown, args: { doctorId: string; rules: ScheduleRuleInput[] }, ctx: DoctorsContext) => {
    const { doctor, rules } = await setWeeklySchedule(ctx.identity, args.doctorId, args.rules, ctx.deps);
    ctx.loaders.rulesByDoctorId.clear(doctor.id).prime(doctor.id, rules);
    await scheduleChanged(ctx, doctor.id);
    return doctor;
  },

  addTimeOff: async (_: unknown, args: { doctorId: string; from: Date; to: Date; reason?: string | null }, ctx: DoctorsContext) => {
    const timeOff = await addTimeOff(ctx.identity, args.doctorId, { from: args.from, to: args.to, reason: args.reason }, ctx.deps);
    ctx.loaders.timeOffByDoctorId.clear(timeOff.doctorId);
    await scheduleChanged(ctx, timeOff.doctorId);
    return timeOff;
  },
};
