import type { DoctorFeedbackResolvers, FeedbackCommentResolvers, ServiceFeedbackResolvers } from "../generated/graphql.js";
import { isModerator } from "../domain/feedbackModeration.js";

/** A comment in a list: the appointment (it names the patient) and the moderation details are for administrators. */
export const FeedbackComment: FeedbackCommentResolvers = {
  appointmentId: async (c, _, ctx) => (isModerator(await ctx.actorOrNull()) ? c.appointmentId : null),
  doctor: (c) => ({ __typename: "Doctor", id: c.doctorId }),
  service: (c) => (c.serviceId ? { __typename: "MedicalService", id: c.serviceId } : null),
  hidden: (c) => c.moderation !== null,
  hiddenReason: async (c, _, ctx) => (isModerator(await ctx.actorOrNull()) ? (c.moderation?.hiddenReason ?? null) : null),
  hiddenBy: async (c, _, ctx) => (isModerator(await ctx.actorOrNull()) ? (c.moderation?.hiddenBy ?? null) : null),
  hiddenAt: async (c, _, ctx) => (isModerator(await ctx.actorOrNull()) ? (c.moderation?.hiddenAt ?? null) : null),
};

export const DoctorFeedback: DoctorFeedbackResolvers = {
  doctor: (d) => ({ __typename: "Doctor", id: d.doctorId }),
};

export const ServiceFeedback: ServiceFeedbackResolvers = {
  service: (s) => (s.serviceId ? { __typename: "MedicalService", id: s.serviceId } : null),
};
