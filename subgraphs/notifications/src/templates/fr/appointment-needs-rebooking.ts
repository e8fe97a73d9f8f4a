import type { MessageTemplate } from "../template.js";

/** To the patient: the doctor was deactivated and cannot see them; book another doctor (up to 3 free times of the same specialty). */
export default {
  subject: `Votre rendez-vous du {time} doit être repris avec un autre médecin`,
  text: `{hasRecipient, select, yes {Bonjour {recipientName},} other {Bonjour,}}

Nous sommes désolés : {doctorName} n’est plus disponible pour votre rendez-vous du {timeLong}.{hasService, select, yes {
Prestation : {serviceName}} other {}}

Veuillez prendre rendez-vous avec un autre médecin. {alternativesCount, plural, =0 {Choisissez un médecin et un créneau dans l’application : {link}} one {Créneau disponible chez un autre médecin de la même spécialité :

{alternatives}

Réservez-le ou choisissez un autre médecin dans l’application : {link}} other {Créneaux disponibles chez d’autres médecins de la même spécialité :

{alternatives}

Réservez l’un d’eux ou choisissez un autre médecin dans l’application : {link}}}

L’accueil vous contactera également au sujet de ce rendez-vous.`,
  short: `{doctorName} n’est plus disponible pour votre rendez-vous du {time}. Prenez rendez-vous avec un autre médecin : {link}`,
} satisfies MessageTemplate;
