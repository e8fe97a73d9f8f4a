import type { MessageTemplate } from "../template.js";

/** To the patient after a fulfilled visit: how was it? */
export default {
  subject: `Comment s’est passé votre rendez-vous du {time} ?`,
  text: `{hasRecipient, select, yes {Bonjour {recipientName},} other {Bonjour,}}

Merci pour votre visite auprès de {doctorName}. Dites-nous comment s’est passé votre rendez-vous : cela ne prend qu’une minute et nous aide à nous améliorer.

Date : {timeLong}
Médecin : {doctorName}{hasService, select, yes {
Prestation : {serviceName}} other {}}{hasLocation, select, yes {
Lieu : {location}} other {}}

Donnez votre avis dans l’application : {link}`,
  short: `Comment s’est passé votre rendez-vous du {time} ? Donnez votre avis : {link}`,
} satisfies MessageTemplate;
