import type { MessageTemplate } from "../template.js";

/**
 * To the patient: an invoice was issued. Its number, total and what is still due (or that it is paid), and where to
 * see and pay it. No time, doctor, service or line of the invoice is ever written here.
 */
export default {
  subject: `{hasInvoiceNumber, select, yes {Your invoice {invoiceNumber} is ready} other {Your invoice is ready}}: total {total}`,
  text: `{hasRecipient, select, yes {Hello {recipientName},} other {Hello,}}

{hasInvoiceNumber, select, yes {Your invoice {invoiceNumber} is ready.} other {Your invoice is ready.}}

Total: {total}
{paidInFull, select, yes {It has already been paid: nothing is due.} other {Balance due: {balance}}}

{paidInFull, select, yes {See it in the app: {link}} other {See it and pay it in the app: {link}}}`,
  short: `{hasInvoiceNumber, select, yes {Your invoice {invoiceNumber} is ready} other {Your invoice is ready}}: total {total} ({paidInFull, select, yes {already paid} other {balance due {balance}}}). {paidInFull, select, yes {See it in the app} other {See it and pay it in the app}}: {link}`,
} satisfies MessageTemplate;
