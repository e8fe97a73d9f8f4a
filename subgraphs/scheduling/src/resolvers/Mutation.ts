import { forbidden } from "@clinigraph/platform";
import type { SchedulingContext } from "../context.js";
import { submitFeedback } from "../domain/feedback.js";
import { requireId } from "../domain/ids.js";
import { overbookAppointment, type OverbookInput } from "../domain/overbook.js";
import { requestAppointment, type RequestAppointmentInput } from "../domain/requestAppointment.js";
import { rescheduleAppointment } from "../domain/reschedule.js";
import { syncDoctorFromSource } from "../domain/reconcile.js";
import { syncDoctor } from "../domain/syncDoctor.js";
import { changeStatus } from "../domain/transitions.js";
import { joinWaitlist, type WaitlistInput } from "../domain/waitlist.js";

type IdArgs = { id: string; reason?: string | null };

export const Mutation = {
  requestAppointment: async (_: unknown, args: { input: RequestAppointmentInput }, ctx: SchedulingContext) =>
    requestAppointment(ctx.deps, await ctx.actor(), args.input, ctx.identity.requestId),
  approveAppointment: async (_: unknown, args: IdArgs, ctx: SchedulingContext) => changeStatus(ctx.deps, await ctx.actor(), args.id, "APPROVE"),
  rejectAppointment: async (_: unknown, args: IdArgs, ctx: SchedulingContext) => changeStatus(ctx.deps, await ctx.actor(), args.id, "REJECT", args.reason),
  rescheduleAppointment: async (_: unknown, args: { id: string; slotId: string }, ctx: SchedulingContext) =>
    rescheduleAppointment(ctx.deps, await ctx.actor(), args.id, args.slotId),
  cancelAppointment: async (_: unknown, args: IdArgs, ctx: SchedulingContext) => changeStatus(ctx.deps, await ctx.actor(), args.id, "CANCEL", args.reason),
  checkInAppointment: async (_: unknown, args: IdArgs, ctx: SchedulingContext) => changeStatus(ctx.deps, await ctx.actor(), args.id, "CHECK_IN"),
  markNoShow: async (_: unknown, args: IdArgs, ctx: SchedulingContext) => changeStatus(ctx.deps, await ctx.actor(), args.id, "MARK_NO_SHOW"),
  fulfillAppointment: async (_: unknown, args: IdArgs, ctx: SchedulingContext) => changeStatus(ctx.deps, await ctx.actor(), args.id, "FULFILL"),
  joinWaitlist: async (_: unknown, args: { input: WaitlistInput }, ctx: SchedulingContext) => joinWaitlist(ctx.deps, await ctx.actor(), args.input),
  overbookAppointment: async (_: unknown, args: { input: OverbookInput }, ctx: SchedulingContext) =>
    overbookAppointment(ctx.deps, await ctx.actor(), args.input, ctx.identity.requestId),
  submitFeedback: async (_: unknown, args: { appointmentId: string; rating: number; comment?: string | null }, ctx: SchedulingContext) =>
    submitFeedback(ctx.deps, await ctx.actor(), args.appointmentId, args.rating, args.comment),

  async syncDoctorSlots(_: unknown, args: { doctorId: string }, ctx: SchedulingContext) {
    const actor = await ctx.actor();
    const doctorId = requireId(args.doctorId, "doctorId");
    if (actor.role === "ADMIN" || (actor.role === "DOCTOR" && actor.doctorId === doctorId)) {
      await syncDoctorFromSource(ctx.deps, ctx.doctors, doctorId, actor);
      return true;
    }
    if (actor.role !== "DOCTOR" || actor.doctorId !== null) throw forbidden();
    // A doctor not synced here yet may pull only their own schedule: the doctors subgraph says whose it is.
    const snapshot = await ctx.doctors.fetchDoctor(doctorId);
    if (!snapshot || snapshot.userId !== actor.userId) throw forbidden();
    await syncDoctor(ctx.deps, snapshot);
    return true;
  },
};
