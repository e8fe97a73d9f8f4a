import { admitted, liveEvents as events, type LiveEntry } from "@clinigraph/events";
import { forbidden } from "@clinigraph/platform";
import type { SchedulingContext } from "../context.js";
import { requireId } from "../domain/ids.js";
import { canRead } from "../domain/policy.js";
import type { Actor, Appointment } from "../domain/types.js";
import { doctorTopic, patientTopic, type AppointmentFeedMessage } from "../live/eventTypes.js";

type FeedEvent = AppointmentFeedMessage & { cursor: string };

/**
 * A feed's events as delivered: each event's appointment is read fresh (a subscription's context lives as
 * long as the subscription) and passes the same read policy as `appointment(id)` at delivery time — on
 * `since` replay and live alike. An event whose appointment the subscriber may not read now (moved to
 * another doctor, say) or that is gone is skipped; the feed goes on.
 */
function readableEvents(feed: AsyncIterableIterator<LiveEntry<AppointmentFeedMessage>>, actor: Actor, ctx: SchedulingContext) {
  return admitted(events(feed), async (event: FeedEvent) => {
    ctx.appointments.clear(event.appointmentId);
    ctx.history.clear(event.appointmentId);
    const appointment = await ctx.appointments.load(event.appointmentId);
    return appointment && canRead(actor, appointment) ? { ...event, appointment } : null;
  });
}

export const Subscription = {
  appointmentRequests: {
    async subscribe(_: unknown, args: { doctorId: string; since?: string | null }, ctx: SchedulingContext) {
      const actor = await ctx.actor();
      const doctorId = requireId(args.doctorId, "doctorId");
      if (!(actor.role === "ADMIN" || (actor.role === "DOCTOR" && actor.doctorId === doctorId))) throw forbidden("Doctors watch their own feed only");
      return readableEvents(ctx.live.subscribe(doctorTopic(doctorId), args.since ?? null), actor, ctx);
    },
    resolve: (event: unknown) => event,
  },
  myAppointmentUpdates: {
    async subscribe(_: unknown, args: { since?: string | null }, ctx: SchedulingContext) {
      const actor = await ctx.actor();
      if (actor.role !== "PATIENT") throw forbidden("This feed is for patients");
      return readableEvents(ctx.live.subscribe(patientTopic(actor.userId), args.since ?? null), actor, ctx);
    },
    resolve: (event: unknown) => event,
  },
};

export const AppointmentEvent = {
  /** The appointment as read (and checked) when the event was delivered. */
  async appointment(event: { appointment: Appointment }, _: unknown, ctx: SchedulingContext) {
    await ctx.reads.appointments([event.appointment]); // a doctor (or admin) watching a feed reads the patient's appointment
    return event.appointment;
  },
};
