import type { MessageTemplate } from "../template.js";

/** To the doctor: a patient asked for a time that waits for approval. To the patient: the request was sent. */
export default {
  subject: `{audience, select, doctor {Nouvelle demande de rendez-vous : {time}} other {Votre demande de rendez-vous a été envoyée : {time}}}`,
  text: `{hasRecipient, select, yes {Bonjour {recipientName},} other {Bonjour,}}

{audience, select, doctor {{hasPatient, select, yes {{patientName}} other {Un patient}} vous a demandé un rendez-vous. Le créneau reste réservé jusqu’à ce que vous acceptiez ou refusiez la demande.} other {Votre demande de rendez-vous a bien été transmise à {doctorName}. Le créneau vous est réservé en attendant la confirmation du médecin ; nous vous préviendrons dès sa réponse.}}

Date : {timeLong}{audience, select, doctor {{hasPatient, select, yes {
Patient : {patientName}} other {}}} other {
Médecin : {doctorName}}}{hasService, select, yes {
Prestation : {serviceName}} other {}}{hasLocation, select, yes {
Lieu : {location}} other {}}

{audience, select, doctor {Acceptez ou refusez la demande dans l’application : {link}} other {Vous pouvez suivre votre demande dans l’application : {link}}}`,
  short: `{audience, select, doctor {Nouvelle demande de rendez-vous le {time}. Accepter ou refuser : {link}} other {Demande de rendez-vous envoyée pour le {time}, en attente de confirmation du médecin. {link}}}`,
} satisfies MessageTemplate;
