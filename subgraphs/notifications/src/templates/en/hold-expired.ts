import type { MessageTemplate } from "../template.js";

/** To the patient: the doctor did not answer in time and the held time was freed. To the doctor: the request expired. */
export default {
  subject: `{audience, select, doctor {Appointment request for {time} expired without an answer} other {Your appointment request for {time} has expired}}`,
  text: `{hasRecipient, select, yes {Hello {recipientName},} other {Hello,}}

{audience, select, doctor {An appointment request waited too long for your answer and has expired. The time is free again in your schedule.} other {{doctorName} could not answer your appointment request in time, so the time held for you has been released. We are sorry.}}

Requested time: {timeLong}{audience, select, doctor {{hasPatient, select, yes {
Patient: {patientName}} other {}}} other {
Doctor: {doctorName}}}{hasService, select, yes {
Service: {serviceName}} other {}}{hasLocation, select, yes {
Where: {location}} other {}}

{audience, select, doctor {See your schedule in the app: {link}} other {Please choose another time in the app: {link}}}`,
  short: `{audience, select, doctor {Appointment request for {time} expired without an answer; the time is free again. {link}} other {Your appointment request for {time} expired. Please choose another time: {link}}}`,
} satisfies MessageTemplate;
