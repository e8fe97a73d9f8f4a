import { refreshDoctor, refreshService, refreshSpecialty } from "../data/loaders.js";
import { addExtraHours } from "../domain/addExtraHours.js";
import { addTimeOff } from "../domain/addTimeOff.js";
import { applyScheduleTemplate } from "../domain/applyScheduleTemplate.js";
import { createScheduleTemplate, deleteScheduleTemplate, updateScheduleTemplate } from "../domain/scheduleTemplateCrud.js";
import * as catalogue from "../domain/catalogueAdmin.js";
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

  addExtraHours: async (_parent, args, ctx) => {
    const extra = await addExtraHours(ctx.deps, await ctx.actor(), args);
    ctx.loaders.extraHoursByDoctorId.clear(extra.doctorId);
    return extra;
  },

  createScheduleTemplate: async (_parent, { input }, ctx) => createScheduleTemplate(ctx.deps, await ctx.actor(), input),
  updateScheduleTemplate: async (_parent, args, ctx) => updateScheduleTemplate(ctx.deps, await ctx.actor(), args),
  deleteScheduleTemplate: async (_parent, { id }, ctx) => deleteScheduleTemplate(ctx.deps, await ctx.actor(), id),

  applyScheduleTemplate: async (_parent, args, ctx) => {
    const doctors = await applyScheduleTemplate(ctx.deps, await ctx.actor(), args);
    for (const doctor of doctors) {
      ctx.loaders.rulesByDoctorId.clear(doctor.id);
      ctx.loaders.upcomingByDoctorId.clear(doctor.id);
    }
    return doctors;
  },

  createSpecialty: async (_parent, { input }, ctx) => catalogue.createSpecialty(ctx.deps, await ctx.actor(), input),
  updateSpecialty: async (_parent, args, ctx) => refreshSpecialty(ctx.loaders, await catalogue.updateSpecialty(ctx.deps, await ctx.actor(), args)),
  retireSpecialty: async (_parent, args, ctx) => refreshSpecialty(ctx.loaders, await catalogue.retireSpecialty(ctx.deps, await ctx.actor(), args)),
  restoreSpecialty: async (_parent, args, ctx) => refreshSpecialty(ctx.loaders, await catalogue.restoreSpecialty(ctx.deps, await ctx.actor(), args)),

  createMedicalService: async (_parent, { input }, ctx) => catalogue.createMedicalService(ctx.deps, await ctx.actor(), input),
  updateMedicalService: async (_parent, args, ctx) => refreshService(ctx.loaders, await catalogue.updateMedicalService(ctx.deps, await ctx.actor(), args)),
  retireMedicalService: async (_parent, args, ctx) => refreshService(ctx.loaders, await catalogue.retireMedicalService(ctx.deps, await ctx.actor(), args)),
  restoreMedicalService: async (_parent, args, ctx) => refreshService(ctx.loaders, await catalogue.restoreMedicalService(ctx.deps, await ctx.actor(), args)),
};
