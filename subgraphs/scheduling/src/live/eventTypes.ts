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
