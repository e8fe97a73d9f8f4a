import type { MessageTemplate } from "../template.js";

/** To the patient: the doctor declined the request, with up to 3 other free times. To the doctor: the decline is recorded. */
export default {
  subject: `{audience, select, doctor {Vous avez refusé la demande de rendez-vous : {time}} other {Votre demande de rendez-vous a été refusée : {time}}}`,
  text: `{hasRecipient, select, yes {Bonjour {recipientName},} other {Bonjour,}}

{audience, select, doctor {Vous avez refusé la demande de rendez-vous. Le créneau est de nouveau libre dans votre agenda.} other {Nous sommes désolés : {doctorName} ne peut pas vous recevoir à l’heure demandée.}}

Date demandée : {timeLong}{audience, select, doctor {{hasPatient, select, yes {
Patient : {patientName}} other {}}} other {
Médecin : {doctorName}}}{hasService, select, yes {
Prestation : {serviceName}} other {}}{hasLocation, select, yes {
Lieu : {location}} other {}}

{audience, select, doctor {Voir votre agenda dans l’application : {link}} other {{alternativesCount, plural, =0 {Veuillez choisir un autre créneau dans l’application : {link}} one {Autre créneau disponible chez le même médecin :

{alternatives}

Réservez-le ou choisissez un autre créneau dans l’application : {link}} other {Autres créneaux disponibles chez le même médecin :

{alternatives}

Réservez l’un d’eux ou choisissez un autre créneau dans l’application : {link}}}}}`,
  short: `{audience, select, doctor {Demande de rendez-vous refusée pour le {time}. {link}} other {Votre demande de rendez-vous pour le {time} a été refusée. Choisissez un autre créneau : {link}}}`,
} satisfies MessageTemplate;
