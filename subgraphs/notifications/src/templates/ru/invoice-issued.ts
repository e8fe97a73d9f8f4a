import type { MessageTemplate } from "../template.js";

/**
 * To the patient: an invoice was issued. Its number, total and what is still due (or that it is paid), and where to
 * see and pay it. No time, doctor, service or line of the invoice is ever written here.
 */
export default {
  subject: `{hasInvoiceNumber, select, yes {Ваш счёт № {invoiceNumber} готов} other {Ваш счёт готов}}: сумма {total}`,
  text: `{hasRecipient, select, yes {Здравствуйте, {recipientName}!} other {Здравствуйте!}}

{hasInvoiceNumber, select, yes {Ваш счёт № {invoiceNumber} готов.} other {Ваш счёт готов.}}

Сумма: {total}
{paidInFull, select, yes {Счёт уже оплачен, к оплате ничего нет.} other {К оплате: {balance}}}

{paidInFull, select, yes {Посмотреть счёт можно в приложении: {link}} other {Посмотреть и оплатить счёт можно в приложении: {link}}}`,
  short: `{hasInvoiceNumber, select, yes {Ваш счёт № {invoiceNumber} готов} other {Ваш счёт готов}}: сумма {total} ({paidInFull, select, yes {уже оплачен} other {к оплате {balance}}}). {paidInFull, select, yes {Посмотреть} other {Посмотреть и оплатить}} в приложении: {link}`,
} satisfies MessageTemplate;
