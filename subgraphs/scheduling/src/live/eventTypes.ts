import type { AppointmentEventType as CatalogueEventType, LiveMessage } from "@clinigraph/events";
import type { AppointmentEventType } from "../generated/graphql.js";
import type { Appointment } from "../domain/types.js";

/** Outbox/bus event types → the AppointmentEventType enum of live feeds. */
export const LIVE_EVENT_TYPES: Readonly<Record<CatalogueEventType, AppointmentEventType>> = {
  AppointmentRequested: "REQUESTED",
  AppointmentBooked: "BOOKED",
  AppointmentRejected: "REJECTED",
  AppointmentRescheduled: "RESCHEDULED",
  AppointmentCancelled: "CANCELLED",
  AppointmentExpired: "EXPIRED",
  PatientCheckedIn: "CHECKED_IN",
  AppointmentNoShow: "NO_SHOW",
  AppointmentFulfilled: "FULFILLED",
  AppointmentOverbooked: "OVERBOOKED",
  FeedbackSubmitted: "FEEDBACK_SUBMITTED",
  AppointmentNeedsAttention: "NEEDS_ATTENTION",
};

/**
 * Feed types for staff only: NEEDS_ATTENTION is a flag for staff (`Appointment.needsAttention` is a staff field), so
 * it goes to the doctor's feed (the doctor, ADMIN) and not to the patient's, who is told by a notification instead.
 */
export const STAFF_ONLY_TYPES: ReadonlySet<AppointmentEventType> = new Set<AppointmentEventType>(["NEEDS_ATTENTION"]);

/** The feed type of a bus event, or undefined when the event is not one of an appointment. */
export const liveEventType = (type: string): AppointmentEventType | undefined =>
  Object.hasOwn(LIVE_EVENT_TYPES, type) ? LIVE_EVENT_TYPES[type as CatalogueEventType] : undefined;

export const doctorTopic = (doctorId: string) => `doctor:${doctorId}`;
export const patientTopic = (patientId: string) => `patient:${patientId}`;

/** A message of the doctor's and patient's appointment feeds: what happened to which appointment; the appointment itself is read at delivery. */
export interface AppointmentFeedMessage extends LiveMessage {
  type: AppointmentEventType;
  appointmentId: string;
  at: string;
}

/** A feed message as delivered to a subscriber: its cursor, and the appointment read (and checked) at delivery. */
export interface LiveAppointmentEvent extends AppointmentFeedMessage {
  cursor: string;
  appointment: Appointment;
}
