import type { MessageTemplate } from "../template.js";

/** To the patient and the doctor: the appointment moved, and who moved it. */
export default {
  subject: `Appointment moved to {time}`,
  text: `{hasRecipient, select, yes {Hello {recipientName},} other {Hello,}}

{audience, select, doctor {{changedBy, select, patient {{hasPatient, select, yes {{patientName}} other {The patient}} has rescheduled their appointment with you.} doctor {You have rescheduled an appointment.} staff {Clinic staff have rescheduled one of your appointments.} system {One of your appointments has been rescheduled automatically.} other {One of your appointments has been rescheduled.}}} other {{changedBy, select, patient {You have rescheduled your appointment.} doctor {{doctorName} has rescheduled your appointment.} staff {The clinic has rescheduled your appointment.} system {Your appointment has been rescheduled automatically.} other {Your appointment has been rescheduled.}}}}

{hasPrevious, select, yes {Previous time: {previousTimeLong}
} other {}}New time: {timeLong}{audience, select, doctor {{hasPatient, select, yes {
Patient: {patientName}} other {}}} other {
Doctor: {doctorName}}}{hasService, select, yes {
Service: {serviceName}} other {}}{hasLocation, select, yes {
Where: {location}} other {}}

{audience, select, doctor {See it in the app: {link}} other {If the new time does not suit you, you can change or cancel it in the app: {link}}}`,
  short: `Appointment moved{hasPrevious, select, yes { from {previousTime}} other {}} to {time}. {link}`,
} satisfies MessageTemplate;
