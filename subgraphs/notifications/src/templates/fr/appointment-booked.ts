import type { MessageTemplate } from "../template.js";

/** To the patient: the appointment is booked. To the doctor: a new appointment in the schedule. */
export default {
  subject: `{audience, select, doctor {Nouveau rendez-vous : {time}} other {Rendez-vous confirmé : {time}}}`,
  text: `{hasRecipient, select, yes {Bonjour {recipientName},} other {Bonjour,}}

{audience, select, doctor {Un nouveau rendez-vous a été pris avec vous.} other {Votre rendez-vous est confirmé.}}

Date : {timeLong}{audience, select, doctor {{hasPatient, select, yes {
Patient : {patientName}} other {}}} other {
Médecin : {doctorName}}}{hasService, select, yes {
Prestation : {serviceName}} other {}}{hasLocation, select, yes {
Lieu : {location}} other {}}

{audience, select, doctor {Voir le rendez-vous dans l’application : {link}} other {Vous pouvez le consulter, le déplacer ou l’annuler dans l’application : {link}}}`,
  short: `{audience, select, doctor {Nouveau rendez-vous le {time}. {link}} other {Rendez-vous confirmé le {time}{hasLocation, select, yes {, {location}} other {}}. {link}}}`,
} satisfies MessageTemplate;
