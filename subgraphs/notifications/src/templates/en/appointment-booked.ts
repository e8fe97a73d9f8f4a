import type { MessageTemplate } from "../template.js";

/** To the patient: the appointment is booked. To the doctor: a new appointment in the schedule. */
export default {
  subject: `{audience, select, doctor {New appointment: {time}} other {Appointment confirmed: {time}}}`,
  text: `{hasRecipient, select, yes {Hello {recipientName},} other {Hello,}}

{audience, select, doctor {A new appointment has been booked with you.} other {Your appointment is confirmed.}}

When: {timeLong}{audience, select, doctor {{hasPatient, select, yes {
Patient: {patientName}} other {}}} other {
Doctor: {doctorName}}}{hasService, select, yes {
Service: {serviceName}} other {}}{hasLocation, select, yes {
Where: {location}} other {}}

{audience, select, doctor {See it in the app: {link}} other {You can view, reschedule or cancel it in the app: {link}}}`,
  short: `{audience, select, doctor {New appointment: {time}. {link}} other {Appointment confirmed: {time}{hasLocation, select, yes {, {location}} other {}}. {link}}}`,
} satisfies MessageTemplate;
