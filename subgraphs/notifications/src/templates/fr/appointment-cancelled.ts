import type { MessageTemplate } from "../template.js";

/** To the patient and the doctor: the appointment was cancelled, and by whom. */
export default {
  subject: `Rendez-vous annulé : {time}`,
  text: `{hasRecipient, select, yes {Bonjour {recipientName},} other {Bonjour,}}

{audience, select, doctor {{changedBy, select, patient {{hasPatient, select, yes {{patientName}} other {Le patient}} a annulé son rendez-vous avec vous.} doctor {Vous avez annulé un rendez-vous.} staff {Le personnel de la clinique a annulé l’un de vos rendez-vous.} system {L’un de vos rendez-vous a été annulé automatiquement.} other {L’un de vos rendez-vous a été annulé.}}} other {{changedBy, select, patient {Vous avez annulé votre rendez-vous.} doctor {{doctorName} a annulé votre rendez-vous. Nous vous prions de nous excuser pour ce désagrément.} staff {La clinique a annulé votre rendez-vous. Nous vous prions de nous excuser pour ce désagrément.} system {Votre rendez-vous a été annulé automatiquement.} other {Votre rendez-vous a été annulé.}}}}

Date : {timeLong}{audience, select, doctor {{hasPatient, select, yes {
Patient : {patientName}} other {}}} other {
Médecin : {doctorName}}}{hasService, select, yes {
Prestation : {serviceName}} other {}}{hasLocation, select, yes {
Lieu : {location}} other {}}

{audience, select, doctor {Le créneau est de nouveau libre dans votre agenda. Détails dans l’application : {link}} other {Vous pouvez prendre un nouveau rendez-vous dans l’application : {link}}}`,
  short: `Rendez-vous du {time} annulé. {link}`,
} satisfies MessageTemplate;
