import type { QueryResolvers } from "../generated/graphql.js";
import { myCareRelationships } from "../domain/careRelationships.js";
import { feedbackByDoctor, feedbackByService, feedbackComments, feedbackSummary, myFeedbackComments, myFeedbackSummary } from "../domain/feedbackModeration.js";
import { requireId } from "../domain/ids.js";
import { assertCanRead } from "../domain/policy.js";
import { availableSlots, calendar, myAppointments } from "../domain/queries.js";
import { myWaitlist } from "../domain/waitlist.js";

export const Query: QueryResolvers = {
  availableSlots: (_, args, ctx) => availableSlots(ctx.deps, args.filter, args.first),

  async appointment(_, args, ctx) {
    const actor = await ctx.actor();
    const appointment = await ctx.loaders.appointments.load(requireId(args.id, "id"));
    if (!appointment) return null;
    assertCanRead(actor, appointment);
    await ctx.reads.appointments([appointment]);
    return appointment;
  },

  async myAppointments(_, args, ctx) {
    const page = await myAppointments(ctx.deps, await ctx.actor(), args);
    await ctx.reads.appointments(page.edges.map((e) => e.node)); // a doctor's list (a patient's own are not audited)
    return page;
  },

  async calendar(_, args, ctx) {
    const appointments = await calendar(ctx.deps, await ctx.actor(), args);
    await ctx.reads.appointments(appointments);
    return appointments;
  },

  myWaitlist: async (_, __, ctx) => myWaitlist(ctx.deps, await ctx.actor()),

  myCareRelationships: async (_, args, ctx) => myCareRelationships(ctx.deps, await ctx.actor(), args.patientIds),

  feedbackSummary: async (_, args, ctx) => feedbackSummary(ctx.deps, await ctx.actor(), args),
  feedbackByDoctor: async (_, args, ctx) => feedbackByDoctor(ctx.deps, await ctx.actor(), args),
  feedbackByService: async (_, args, ctx) => feedbackByService(ctx.deps, await ctx.actor(), args),
  myFeedbackSummary: async (_, args, ctx) => myFeedbackSummary(ctx.deps, await ctx.actor(), args),

  // Comments are patients' words about their visits: each read is audited like a read of their appointments.
  async feedbackComments(_, args, ctx) {
    const page = await feedbackComments(ctx.deps, await ctx.actor(), args);
    await ctx.reads.appointments(page.edges.map((e) => e.node));
    return page;
  },
  async myFeedbackComments(_, args, ctx) {
    const page = await myFeedbackComments(ctx.deps, await ctx.actor(), args);
    await ctx.reads.appointments(page.edges.map((e) => e.node));
    return page;
  },
};
