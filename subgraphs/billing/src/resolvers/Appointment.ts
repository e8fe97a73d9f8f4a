import type { AppointmentResolvers } from "../generated/graphql.js";
import { invoiceOfAppointment, prepaymentOfAppointment } from "../domain/reads.js";

export const Appointment: AppointmentResolvers = {
  __resolveReference: (ref) => ({ id: ref.id }),
  invoice: async (appointment, _args, ctx) => {
    const invoice = await invoiceOfAppointment(ctx.deps, await ctx.actor(), appointment.id);
    await ctx.reads.invoices([invoice]);
    return invoice;
  },
  prepayment: async (appointment, _args, ctx) => {
    const prepayment = await prepaymentOfAppointment(ctx.deps, await ctx.actor(), appointment.id);
    await ctx.reads.invoices([prepayment]);
    return prepayment;
  },
};
