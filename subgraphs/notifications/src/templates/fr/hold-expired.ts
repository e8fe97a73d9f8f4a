import type { MessageTemplate } from "../template.js";

/** To the patient: the doctor did not answer in time and the held time was freed. To the doctor: the request expired. */
export default {
  subject: `{audience, select, doctor {Demande de rendez-vous expirée sans réponse : {time}} other {Votre demande de rendez-vous a expiré : {time}}}`,
  text: `{hasRecipient, select, yes {Bonjour {recipientName},} other {Bonjour,}}

{audience, select, doctor {Une demande de rendez-vous est restée sans réponse et a expiré. Le créneau est de nouveau libre dans votre agenda.} other {{doctorName} n’a pas pu répondre à temps à votre demande ; le créneau qui vous était réservé a donc été libéré. Nous vous prions de nous en excuser.}}

Date demandée : {timeLong}{audience, select, doctor {{hasPatient, select, yes {
Patient : {patientName}} other {}}} other {
Médecin : {doctorName}}}{hasService, select, yes {
Prestation : {serviceName}} other {}}{hasLocation, select, yes {
Lieu : {location}} other {}}

{audience, select, doctor {Voir votre agenda dans l’application : {link}} other {Veuillez choisir un autre créneau dans l’application : {link}}}`,
  short: `{audience, select, doctor {Demande de rendez-vous pour le {time} expirée sans réponse ; le créneau est libre. {link}} other {Votre demande de rendez-vous pour le {time} a expiré. Choisissez un autre créneau : {link}}}`,
} satisfies MessageTemplate;
