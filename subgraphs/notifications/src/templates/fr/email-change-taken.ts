import type { MessageTemplate } from "../template.js";

/** To an address that already has an account: someone asked to move another account to it; nothing changed. */
export default {
  subject: `Votre compte Clinigraph`,
  text: `Bonjour,

Quelqu’un (peut-être vous) a demandé à transférer un compte Clinigraph vers cette adresse e-mail, qui a déjà un compte.

Rien n’a été modifié. Si ce n’était pas vous, vous n’avez rien à faire.`,
  short: `Quelqu’un a demandé à transférer un compte Clinigraph vers cette adresse, qui en a déjà un. Rien n’a été modifié.`,
} satisfies MessageTemplate;
