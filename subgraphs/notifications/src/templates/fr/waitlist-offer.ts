import type { MessageTemplate } from "../template.js";

/**
 * To the patient: a time they waited for was freed and taken for them, booked (BOOKED) or waiting for the doctor (PENDING).
 * To the doctor: a patient from the waiting list got the time. `status` other than BOOKED is PENDING.
 */
export default {
  subject: `{audience, select, doctor {{status, select, BOOKED {Nouveau rendez-vous depuis votre liste d’attente : {time}} other {Rendez-vous de la liste d’attente à valider : {time}}}} other {{status, select, BOOKED {Un créneau s’est libéré et vous est réservé : {time}} other {Un créneau s’est libéré, en attente de confirmation : {time}}}}}`,
  text: `{hasRecipient, select, yes {Bonjour {recipientName},} other {Bonjour,}}

{audience, select, doctor {{status, select, BOOKED {Un patient de votre liste d’attente a obtenu un créneau qui s’est libéré.} other {Un créneau libéré a été proposé à un patient de votre liste d’attente et attend votre validation.}}} other {{status, select, BOOKED {Bonne nouvelle : un créneau que vous attendiez s’est libéré, et nous l’avons réservé pour vous.} other {Bonne nouvelle : un créneau que vous attendiez s’est libéré, et nous l’avons mis de côté pour vous. Il doit encore être confirmé par le médecin ; nous vous préviendrons dès sa réponse.}}}}

Date : {timeLong}{audience, select, doctor {{hasPatient, select, yes {
Patient : {patientName}} other {}}} other {
Médecin : {doctorName}}}{hasService, select, yes {
Prestation : {serviceName}} other {}}{hasLocation, select, yes {
Lieu : {location}} other {}}

{audience, select, doctor {{status, select, BOOKED {Voir le rendez-vous dans l’application : {link}} other {Acceptez ou refusez-le dans l’application : {link}}}} other {{status, select, BOOKED {S’il ne vous convient pas, vous pouvez l’annuler dans l’application : {link}} other {Voir le rendez-vous dans l’application : {link}}}}}`,
  short: `{audience, select, doctor {{status, select, BOOKED {Nouveau rendez-vous (liste d’attente) le {time}. {link}} other {Rendez-vous (liste d’attente) à valider pour le {time}. {link}}}} other {{status, select, BOOKED {Un créneau s’est libéré et vous est réservé le {time}{hasLocation, select, yes {, {location}} other {}}. {link}} other {Un créneau s’est libéré le {time}, en attente de confirmation du médecin. {link}}}}}`,
} satisfies MessageTemplate;
