import type { MessageTemplate } from "../template.js";

/** To the old address: the account's e-mail address was changed (the new one masked). */
export default {
  subject: `Votre adresse e-mail Clinigraph a été modifiée`,
  text: `Bonjour,

L’adresse e-mail de votre compte Clinigraph a été remplacée par {maskedNewEmail} ; cette adresse ne permet plus de se connecter.

Si vous n’êtes pas à l’origine de ce changement, contactez immédiatement la clinique.`,
  short: `L’adresse e-mail de votre compte Clinigraph a été remplacée par {maskedNewEmail}. Pas vous ? Contactez immédiatement la clinique.`,
} satisfies MessageTemplate;
