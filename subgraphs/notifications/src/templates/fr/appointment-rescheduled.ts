import type { MessageTemplate } from "../template.js";

/** To the patient and the doctor: the appointment moved, and who moved it. */
export default {
  subject: `Rendez-vous déplacé au {time}`,
  text: `{hasRecipient, select, yes {Bonjour {recipientName},} other {Bonjour,}}

{audience, select, doctor {{changedBy, select, patient {{hasPatient, select, yes {{patientName}} other {Le patient}} a déplacé son rendez-vous avec vous.} doctor {Vous avez déplacé un rendez-vous.} staff {Le personnel de la clinique a déplacé l’un de vos rendez-vous.} system {L’un de vos rendez-vous a été déplacé automatiquement.} other {L’un de vos rendez-vous a été déplacé.}}} other {{changedBy, select, patient {Vous avez déplacé votre rendez-vous.} doctor {{doctorName} a déplacé votre rendez-vous.} staff {La clinique a déplacé votre rendez-vous.} system {Votre rendez-vous a été déplacé automatiquement.} other {Votre rendez-vous a été déplacé.}}}}

{hasPrevious, select, yes {Ancienne date : {previousTimeLong}
} other {}}Nouvelle date : {timeLong}{audience, select, doctor {{hasPatient, select, yes {
Patient : {patientName}} other {}}} other {
Médecin : {doctorName}}}{hasService, select, yes {
Prestation : {serviceName}} other {}}{hasLocation, select, yes {
Lieu : {location}} other {}}

{audience, select, doctor {Voir le rendez-vous dans l’application : {link}} other {Si la nouvelle date ne vous convient pas, vous pouvez la modifier ou annuler le rendez-vous dans l’application : {link}}}`,
  short: `Rendez-vous déplacé{hasPrevious, select, yes { du {previousTime}} other {}} au {time}. {link}`,
} satisfies MessageTemplate;
