import type { MessageTemplate } from "../template.js";

/** To the new address: the code that moves the account to it. The code is never in the subject (the log keeps subjects). */
export default {
  subject: `Votre code de changement d’adresse e-mail Clinigraph`,
  text: `Bonjour,

Votre code pour transférer votre compte Clinigraph vers cette adresse e-mail est {code}.

Il est valable {validMinutes, plural, one {# minute} other {# minutes}}. Si vous ne l’avez pas demandé, ignorez cet e-mail : rien ne change sans ce code.`,
  short: `Votre code de changement d’adresse Clinigraph est {code} (valable {validMinutes, plural, one {# minute} other {# minutes}}).`,
} satisfies MessageTemplate;
