import type { MessageTemplate } from "../template.js";

/**
 * To the patient: an invoice was issued. Its number, total and what is still due (or that it is paid), and where to
 * see and pay it. No time, doctor, service or line of the invoice is ever written here.
 */
export default {
  subject: `{hasInvoiceNumber, select, yes {Votre facture {invoiceNumber} est disponible} other {Votre facture est disponible}} : total {total}`,
  text: `{hasRecipient, select, yes {Bonjour {recipientName},} other {Bonjour,}}

{hasInvoiceNumber, select, yes {Votre facture {invoiceNumber} est disponible.} other {Votre facture est disponible.}}

Total : {total}
{paidInFull, select, yes {Elle est déjà réglée : vous n’avez rien à payer.} other {Reste à payer : {balance}}}

{paidInFull, select, yes {Consultez-la dans l’application : {link}} other {Consultez-la et réglez-la dans l’application : {link}}}`,
  short: `{hasInvoiceNumber, select, yes {Votre facture {invoiceNumber} est disponible} other {Votre facture est disponible}} : total {total} ({paidInFull, select, yes {déjà réglée} other {reste à payer {balance}}}). {paidInFull, select, yes {Consultez-la} other {Consultez-la et réglez-la}} dans l’application : {link}`,
} satisfies MessageTemplate;
