import type { MessageTemplate } from "../template.js";

/**
 * An examination result can be read: to the ordering doctor, or to the patient once the doctor reviewed it.
 * The time is when the examination was ordered. Neither the result nor the examination's name is ever written here.
 */
export default {
  subject: `{audience, select, doctor {Résultat d’examen à consulter – prescrit le {time}} other {Votre résultat d’examen est disponible – prescrit le {time}}}`,
  text: `{hasRecipient, select, yes {Bonjour {recipientName},} other {Bonjour,}}

{audience, select, doctor {Le résultat d’un examen que vous avez prescrit est disponible. Merci d’en prendre connaissance dans l’application.} other {Le résultat de votre examen est disponible. {doctorName} en a pris connaissance, et vous pouvez le consulter dans l’application. Par souci de confidentialité, il ne figure pas dans ce message.}}

Prescrit le : {timeLong}{audience, select, doctor {{hasPatient, select, yes {
Patient : {patientName}} other {}}} other {
Médecin : {doctorName}}}

{audience, select, doctor {Consulter le résultat : {link}} other {Consulter le résultat dans l’application : {link}}}`,
  short: `{audience, select, doctor {Résultat d’examen à consulter. Examen prescrit le {time}. {link}} other {Votre résultat d’examen est disponible. Examen prescrit le {time}. {link}}}`,
} satisfies MessageTemplate;
