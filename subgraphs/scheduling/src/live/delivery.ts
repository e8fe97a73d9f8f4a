import { admitted, liveEvents, type LiveEntry } from "@clinigraph/events";
import type DataLoader from "dataloader";
import type { FeedbackModeration } from "../domain/feedbackModeration.js";
import { canRead } from "../domain/policy.js";
import type { Actor, Appointment, AppointmentChange } from "../domain/types.js";
import type { AppointmentFeedMessage, LiveAppointmentEvent } from "./eventTypes.js";

/**
 * A feed's events as delivered: each event's appointment is read fresh (a subscription's context lives as
 * long as the subscription) and passes the same read policy as `appointment(id)` at delivery time — on
 * `since` replay and live alike. An event whose appointment the subscriber may not read now (moved to
 * another doctor, say) or that is gone is skipped; the feed goes on.
 */
export function readableEvents(
  feed: AsyncIterableIterator<LiveEntry<AppointmentFeedMessage>>,
  actor: Actor,
  loaders: {
    appointments: DataLoader<string, Appointment | null>;
    history: DataLoader<string, AppointmentChange[]>;
    feedbackModeration: DataLoader<string, FeedbackModeration | null>;
  },
): AsyncIterable<LiveAppointmentEvent> {
  return admitted(liveEvents(feed), async (event): Promise<LiveAppointmentEvent | null> => {
    loaders.appointments.clear(event.appointmentId);
    loaders.history.clear(event.appointmentId);
    loaders.feedbackModeration.clear(event.appointmentId); // a comment hidden or shown since the last event
    const appointment = await loaders.appointments.load(event.appointmentId);
    return appointment && canRead(actor, appointment) ? { ...event, appointment } : null;
  });
}

/** A subscription's `resolve`: the source stream yields the event itself (not `{ <field>: event }`). */
export const asDelivered = (event: LiveAppointmentEvent): LiveAppointmentEvent => event;
