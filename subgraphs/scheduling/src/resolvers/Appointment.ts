import type { SchedulingContext } from "../context.js";
import { assertCanRead } from "../domain/policy.js";
import { allowedTransitions } from "../domain/stateMachine.js";
import type { Appointment as AppointmentRecord } from "../domain/types.js";

export const Appointment = {
  async __resolveReference(ref: { id: string }, ctx: SchedulingContext) {
    const actor = await ctx.actor();
    const appointment = await ctx.appointments.load(ref.id);
    if (!appointment) return null;
    assertCanRead(actor, appointment);
    await ctx.reads.appointments([appointment]);
    return appointment;
  },
  patient: (a: AppointmentRecord) => ({ __typename: "Patient", id: a.patientId }),
  doctor: (a: AppointmentRecord) => ({ __typename: "Doctor", id: a.doctorId }),
  service: (a: AppointmentRecord) => (a.serviceId ? { __typename: "MedicalService", id: a.serviceId } : null),
  history: (a: AppointmentRecord, _: unknown, ctx: SchedulingContext) => ctx.history.load(a.id),
  allowedTransitions: async (a: AppointmentRecord, _: unknown, ctx: SchedulingContext) => allowedTransitions(a, await ctx.actorOrNull(), ctx.deps.clock()),
  feedback: (a: AppointmentRecord) =>
    a.feedbackAt && a.feedbackRating ? { rating: a.feedbackRating, comment: a.feedbackComment, submittedAt: a.feedbackAt } : null,
};
