import type { AppointmentResolvers } from "../generated/graphql.js";
import { appointmentReminders } from "../domain/log.js";

export const Appointment: AppointmentResolvers = {
  __resolveReference: (ref) => ({ id: ref.id }),
  reminders: async (appointment, _args, ctx) => appointmentReminders(ctx.deps, await ctx.actor(), appointment.id),
};
