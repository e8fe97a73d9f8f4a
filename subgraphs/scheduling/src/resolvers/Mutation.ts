import type { MutationResolvers } from "../generated/graphql.js";
import { submitFeedback } from "../domain/feedback.js";
import { hideFeedbackComment, unhideFeedbackComment } from "../domain/feedbackModeration.js";
import { overbookAppointment } from "../domain/overbook.js";
import { syncDoctorSlots } from "../domain/reconcile.js";
import { requestAppointment } from "../domain/requestAppointment.js";
import { rescheduleAppointment } from "../domain/reschedule.js";
import { changeStatus } from "../domain/transitions.js";
import { joinWaitlist } from "../domain/waitlist.js";

export const Mutation: MutationResolvers = {
  requestAppointment: async (_, args, ctx) => requestAppointment(ctx.deps, await ctx.actor(), args.input, ctx.identity.requestId),
  approveAppointment: async (_, args, ctx) => changeStatus(ctx.deps, await ctx.actor(), args.id, "APPROVE"),
  rejectAppointment: async (_, args, ctx) => changeStatus(ctx.deps, await ctx.actor(), args.id, "REJECT", args.reason),
  rescheduleAppointment: async (_, args, ctx) => rescheduleAppointment(ctx.deps, await ctx.actor(), args.id, args.slotId),
  cancelAppointment: async (_, args, ctx) => changeStatus(ctx.deps, await ctx.actor(), args.id, "CANCEL", args.reason),
  checkInAppointment: async (_, args, ctx) => changeStatus(ctx.deps, await ctx.actor(), args.id, "CHECK_IN"),
  markNoShow: async (_, args, ctx) => changeStatus(ctx.deps, await ctx.actor(), args.id, "MARK_NO_SHOW"),
  fulfillAppointment: async (_, args, ctx) => changeStatus(ctx.deps, await ctx.actor(), args.id, "FULFILL"),
  joinWaitlist: async (_, args, ctx) => joinWaitlist(ctx.deps, await ctx.actor(), args.input),
  overbookAppointment: async (_, args, ctx) => overbookAppointment(ctx.deps, await ctx.actor(), args.input, ctx.identity.requestId),
  submitFeedback: async (_, args, ctx) => submitFeedback(ctx.deps, await ctx.actor(), args.appointmentId, args.rating, args.comment),
  hideFeedbackComment: async (_, args, ctx) => hideFeedbackComment(ctx.deps, await ctx.actor(), args.appointmentId, args.reason),
  unhideFeedbackComment: async (_, args, ctx) => unhideFeedbackComment(ctx.deps, await ctx.actor(), args.appointmentId),
  syncDoctorSlots: async (_, args, ctx) => syncDoctorSlots(ctx.deps, await ctx.actor(), args.doctorId),
};
