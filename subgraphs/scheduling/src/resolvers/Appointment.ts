import type { AppointmentResolvers } from "../generated/graphql.js";
import { feedbackView, visibleChange } from "../domain/feedbackModeration.js";
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
  history: async (a, _, ctx) => {
    const actor = await ctx.actorOrNull();
    return (await ctx.loaders.history.load(a.id)).map((change) => visibleChange(actor, change));
  },
  allowedTransitions: async (a, _, ctx) => allowedTransitions(a, await ctx.actorOrNull(), ctx.deps.clock()),
  // A hidden comment is shown to administrators and its author only (domain/feedbackModeration.ts).
  feedback: async (a, _, ctx) =>
    a.feedbackAt === null
      ? null
      : feedbackView(await ctx.actorOrNull(), a, a.feedbackComment === null ? null : await ctx.loaders.feedbackModeration.load(a.id)),
};
