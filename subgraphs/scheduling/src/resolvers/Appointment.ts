import type { AppointmentResolvers } from "../generated/graphql.js";
import { assertCanRead } from "../domain/policy.js";
import { allowedTransitions } from "../domain/stateMachine.js";

export const Appointment: AppointmentResolvers = {
  async __resolveReference(ref, ctx) {
    const actor = await ctx.actor();
    const appointment = await ctx.loaders.appointments.load(ref.id);
    if (!appointment) return null;
    assertCanRead(actor, appointment);
    await ctx.reads.appointments([appointment]);
    return appointment;
  },
  patient: (a) => ({ __typename: "Patient", id: a.patientId }),
  doctor: (a) => ({ __typename: "Doctor", id: a.doctorId }),
  service: (a) => (a.serviceId ? { __typename: "MedicalService", id: a.serviceId } : null),
  history: (a, _, ctx) => ctx.loaders.history.load(a.id),
  allowedTransitions: async (a, _, ctx) => allowedTransitions(a, await ctx.actorOrNull(), ctx.deps.clock()),
  feedback: (a) => (a.feedbackAt && a.feedbackRating ? { rating: a.feedbackRating, comment: a.feedbackComment, submittedAt: a.feedbackAt } : null),
};
