import type { MessageTemplate } from "../template.js";

/** To the patient (or the doctor): the appointment is `offsetMinutes` away. */
export default {
  subject: `Reminder: appointment {offsetUnit, select, day {{offsetCount, plural, =1 {in 24 hours} other {in # days}}} hour {{offsetCount, plural, =1 {in 1 hour} other {in # hours}}} minute {{offsetCount, plural, one {in # minute} other {in # minutes}}} other {soon}} – {time}`,
  text: `{hasRecipient, select, yes {Hello {recipientName},} other {Hello,}}

{audience, select, doctor {A reminder that you have an appointment} other {A reminder that your appointment with {doctorName} is}} {offsetUnit, select, day {{offsetCount, plural, =1 {in 24 hours} other {in # days}}} hour {{offsetCount, plural, =1 {in 1 hour} other {in # hours}}} minute {{offsetCount, plural, one {in # minute} other {in # minutes}}} other {coming up soon}}.

When: {timeLong}{audience, select, doctor {{hasPatient, select, yes {
Patient: {patientName}} other {}}} other {
Doctor: {doctorName}}}{hasService, select, yes {
Service: {serviceName}} other {}}{hasLocation, select, yes {
Where: {location}} other {}}

{audience, select, doctor {See it in the app: {link}} other {If you cannot come, please cancel or reschedule in the app so that someone else can have the time: {link}}}`,
  short: `Reminder: appointment {offsetUnit, select, day {{offsetCount, plural, =1 {in 24 hours} other {in # days}}} hour {{offsetCount, plural, =1 {in 1 hour} other {in # hours}}} minute {{offsetCount, plural, one {in # minute} other {in # minutes}}} other {soon}}, {time}{hasLocation, select, yes {, {location}} other {}}. {link}`,
} satisfies MessageTemplate;
