import { refreshDoctor } from "../data/loaders.js";
import { addTimeOff } from "../domain/addTimeOff.js";
import { createDoctor } from "../domain/createDoctor.js";
import { deactivateDoctor, reactivateDoctor } from "../domain/doctorStatus.js";
import { setWeeklySchedule } from "../domain/setWeeklySchedule.js";
import { updateDoctor } from "../domain/updateDoctor.js";
import type { MutationResolvers } from "../generated/graphql.js";

/** Each change also refreshes what this request's loaders hold about the doctor. */
export const Mutation: MutationResolvers = {
  createDoctor: async (_parent, { input }, ctx) => refreshDoctor(ctx.loaders, await createDoctor(ctx.deps, await ctx.actor(), input)),

  updateDoctor: async (_parent, args, ctx) => refreshDoctor(ctx.loaders, await updateDoctor(ctx.deps, await ctx.actor(), args)),

  setWeeklySchedule: async (_parent, args, ctx) => {
    const { doctor, rules } = await setWeeklySchedule(ctx.deps, await ctx.actor(), args);
    ctx.loaders.rulesByDoctorId.clear(doctor.id).prime(doctor.id, rules);
    return doctor;
  },

  deactivateDoctor: async (_parent, args, ctx) => refreshDoctor(ctx.loaders, await deactivateDoctor(ctx.deps, await ctx.actor(), args)),

  reactivateDoctor: async (_parent, args, ctx) => refreshDoctor(ctx.loaders, await reactivateDoctor(ctx.deps, await ctx.actor(), args)),

  addTimeOff: async (_parent, args, ctx) => {
    const timeOff = await addTimeOff(ctx.deps, await ctx.actor(), args);
    ctx.loaders.timeOffByDoctorId.clear(timeOff.doctorId);
    return timeOff;
  },
};
