import type { MessageTemplate } from "../template.js";

/** To the patient: the doctor declined the request, with up to 3 other free times. To the doctor: the decline is recorded. */
export default {
  subject: `{audience, select, doctor {You declined the appointment request for {time}} other {Your appointment request for {time} was declined}}`,
  text: `{hasRecipient, select, yes {Hello {recipientName},} other {Hello,}}

{audience, select, doctor {You have declined the appointment request. The time is free again in your schedule.} other {Unfortunately, {doctorName} cannot see you at the time you asked for.}}

Requested time: {timeLong}{audience, select, doctor {{hasPatient, select, yes {
Patient: {patientName}} other {}}} other {
Doctor: {doctorName}}}{hasService, select, yes {
Service: {serviceName}} other {}}{hasLocation, select, yes {
Where: {location}} other {}}

{audience, select, doctor {See your schedule in the app: {link}} other {{alternativesCount, plural, =0 {Please choose another time in the app: {link}} one {Another free time with the same doctor:

{alternatives}

Book it or choose another time in the app: {link}} other {Other free times with the same doctor:

{alternatives}

Book one of them or choose another time in the app: {link}}}}}`,
  short: `{audience, select, doctor {Appointment request for {time} declined. {link}} other {Your appointment request for {time} was declined. Please choose another time: {link}}}`,
} satisfies MessageTemplate;
