import type { MessageTemplate } from "../template.js";

/** To the patient and the doctor: the appointment was cancelled, and by whom. */
export default {
  subject: `Appointment cancelled: {time}`,
  text: `{hasRecipient, select, yes {Hello {recipientName},} other {Hello,}}

{audience, select, doctor {{changedBy, select, patient {{hasPatient, select, yes {{patientName}} other {The patient}} has cancelled their appointment with you.} doctor {You have cancelled an appointment.} staff {Clinic staff have cancelled one of your appointments.} system {One of your appointments has been cancelled automatically.} other {One of your appointments has been cancelled.}}} other {{changedBy, select, patient {You have cancelled your appointment.} doctor {{doctorName} has cancelled your appointment. We are sorry for the inconvenience.} staff {The clinic has cancelled your appointment. We are sorry for the inconvenience.} system {Your appointment has been cancelled automatically.} other {Your appointment has been cancelled.}}}}

When: {timeLong}{audience, select, doctor {{hasPatient, select, yes {
Patient: {patientName}} other {}}} other {
Doctor: {doctorName}}}{hasService, select, yes {
Service: {serviceName}} other {}}{hasLocation, select, yes {
Where: {location}} other {}}

{audience, select, doctor {The time is free again in your schedule. Details in the app: {link}} other {You can book a new appointment in the app: {link}}}`,
  short: `Appointment cancelled: {time}. {link}`,
} satisfies MessageTemplate;
