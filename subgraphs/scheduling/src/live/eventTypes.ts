import type { LiveMessage } from "@clinigraph/events";

/** Outbox/bus event types → the AppointmentEventType enum of live feeds. */
export const LIVE_EVENT_TYPES: Readonly<Record<string, string>> = {
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
};

export const doctorTopic = (doctorId: string) => `doctor:${doctorId}`;
export const patientTopic = (patientId: string) => `patient:${patientId}`;

/** A message of the doctor's and patient's appointment feeds: what happened to which appointment; the appointment itself is read at delivery. */
export interface AppointmentFeedMessage extends LiveMessage {
  type: string;
  appointmentId: string;
  at: string;
}
