import type { MessageTemplate } from "../template.js";

/** To the patient (or the doctor): the appointment is `offsetMinutes` away. */
export default {
  subject: `Rappel : rendez-vous {offsetUnit, select, day {{offsetCount, plural, =1 {dans 24 heures} other {dans # jours}}} hour {{offsetCount, plural, =1 {dans une heure} other {dans # heures}}} minute {{offsetCount, plural, one {dans # minute} other {dans # minutes}}} other {imminent}} – {time}`,
  text: `{hasRecipient, select, yes {Bonjour {recipientName},} other {Bonjour,}}

{audience, select, doctor {Petit rappel : vous avez un rendez-vous} other {Petit rappel : votre rendez-vous avec {doctorName} a lieu}} {offsetUnit, select, day {{offsetCount, plural, =1 {dans 24 heures} other {dans # jours}}} hour {{offsetCount, plural, =1 {dans une heure} other {dans # heures}}} minute {{offsetCount, plural, one {dans # minute} other {dans # minutes}}} other {très bientôt}}.

Date : {timeLong}{audience, select, doctor {{hasPatient, select, yes {
Patient : {patientName}} other {}}} other {
Médecin : {doctorName}}}{hasService, select, yes {
Prestation : {serviceName}} other {}}{hasLocation, select, yes {
Lieu : {location}} other {}}

{audience, select, doctor {Voir le rendez-vous dans l’application : {link}} other {Si vous ne pouvez pas venir, merci d’annuler ou de déplacer le rendez-vous dans l’application afin que quelqu’un d’autre puisse en profiter : {link}}}`,
  short: `Rappel : rendez-vous {offsetUnit, select, day {{offsetCount, plural, =1 {dans 24 heures} other {dans # jours}}} hour {{offsetCount, plural, =1 {dans une heure} other {dans # heures}}} minute {{offsetCount, plural, one {dans # minute} other {dans # minutes}}} other {imminent}}, le {time}{hasLocation, select, yes {, {location}} other {}}. {link}`,
} satisfies MessageTemplate;
