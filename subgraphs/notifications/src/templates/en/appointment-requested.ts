import type { MessageTemplate } from "../template.js";

/** To the doctor: a patient asked for a time that waits for approval. To the patient: the request was sent. */
export default {
  subject: `{audience, select, doctor {New appointment request for {time}} other {Your appointment request for {time} was sent}}`,
  text: `{hasRecipient, select, yes {Hello {recipientName},} other {Hello,}}

{audience, select, doctor {{hasPatient, select, yes {{patientName}} other {A patient}} has asked for an appointment with you. The time is held until you approve or decline the request.} other {Your appointment request has been sent to {doctorName}. The time is held for you until the doctor confirms it; we will let you know as soon as they answer.}}

When: {timeLong}{audience, select, doctor {{hasPatient, select, yes {
Patient: {patientName}} other {}}} other {
Doctor: {doctorName}}}{hasService, select, yes {
Service: {serviceName}} other {}}{hasLocation, select, yes {
Where: {location}} other {}}

{audience, select, doctor {Approve or decline the request in the app: {link}} other {You can see your request in the app: {link}}}`,
  short: `{audience, select, doctor {New appointment request for {time}. Approve or decline: {link}} other {Appointment request sent for {time}, awaiting the doctor's confirmation. {link}}}`,
} satisfies MessageTemplate;
