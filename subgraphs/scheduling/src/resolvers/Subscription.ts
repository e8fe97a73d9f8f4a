import { liveEvents as events } from "@clinigraph/events";
import { forbidden } from "@clinigraph/platform";
import type { SchedulingContext } from "../context.js";
import { requireId } from "../domain/ids.js";
import { doctorTopic, patientTopic } from "../live/eventTypes.js";

export const Subscription = {
  appointmentRequests: {
    async subscribe(_: unknown, args: { doctorId: string; since?: string | null }, ctx: SchedulingContext) {
      const actor = await ctx.actor();
      const doctorId = requireId(args.doctorId, "doctorId");
      if (!(actor.role === "ADMIN" || (actor.role === "DOCTOR" && actor.doctorId === doctorId))) throw forbidden("Doctors watch their own feed only");
      return events(ctx.live.subscribe(doctorTopic(doctorId), args.since ?? null));
    },
    resolve: (event: unknown) => event,
  },
  myAppointmentUpdates: {
    async subscribe(_: unknown, args: { since?: string | null }, ctx: SchedulingContext) {
      const actor = await ctx.actor();
      if (actor.role !== "PATIENT") throw forbidden("This feed is for patients");
      return events(ctx.live.subscribe(patientTopic(actor.userId), args.since ?? null));
    },
    resolve: (event: unknown) => event,
  },
};

export const AppointmentEvent = {
  /** Read fresh for every event: a subscription's context lives as long as the subscription. */
  async appointment(event: { appointmentId: string }, _: unknown, ctx: SchedulingContext) {
    ctx.appointments.clear(event.appointmentId);
    const appointment = await ctx.appointments.load(event.appointmentId);
    await ctx.reads.appointments([appointment]); // a doctor (or admin) watching a feed reads the patient's appointment
    return appointment;
  },
};
