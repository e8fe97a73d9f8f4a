import { forbidden } from "@clinigraph/platform";
import type { AppointmentEventResolvers, SubscriptionResolvers } from "../generated/graphql.js";
import { requireId } from "../domain/ids.js";
import { asDelivered, readableEvents } from "../live/delivery.js";
import { doctorTopic, patientTopic } from "../live/eventTypes.js";

export const Subscription: SubscriptionResolvers = {
  appointmentRequests: {
    async subscribe(_, args, ctx) {
      const actor = await ctx.actor();
      const doctorId = requireId(args.doctorId, "doctorId");
      if (!(actor.role === "ADMIN" || (actor.role === "DOCTOR" && actor.doctorId === doctorId))) throw forbidden("Doctors watch their own feed only");
      return readableEvents(ctx.live.subscribe(doctorTopic(doctorId), args.since ?? null), actor, ctx.loaders);
    },
    resolve: asDelivered,
  },
  myAppointmentUpdates: {
    async subscribe(_, args, ctx) {
      const actor = await ctx.actor();
      if (actor.role !== "PATIENT") throw forbidden("This feed is for patients");
      return readableEvents(ctx.live.subscribe(patientTopic(actor.userId), args.since ?? null), actor, ctx.loaders);
    },
    resolve: asDelivered,
  },
};

export const AppointmentEvent: AppointmentEventResolvers = {
  /** The appointment as read (and checked) when the event was delivered. */
  async appointment(event, _, ctx) {
    await ctx.reads.appointments([event.appointment]); // a doctor (or admin) watching a feed reads the patient's appointment
    return event.appointment;
  },
};
