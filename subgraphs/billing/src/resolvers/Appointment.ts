import type { AppointmentResolvers } from "../generated/graphql.js";
import { invoiceOfAppointment } from "../domain/reads.js";

export const Appointment: AppointmentResolvers = {
  __resolveReference: (ref) => ({ id: ref.id }),
  invoice: async (appointment, _args, ctx) => invoiceOfAppointment(ctx.deps, await ctx.actor(), appointment.id),
};
