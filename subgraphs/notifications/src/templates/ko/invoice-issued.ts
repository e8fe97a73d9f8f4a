import type { MessageTemplate } from "../template.js";

/**
 * To the patient: an invoice was issued. Its number, total and what is still due (or that it is paid), and where to
 * see and pay it. No time, doctor, service or line of the invoice is ever written here.
 */
export default {
  subject: `{hasInvoiceNumber, select, yes {청구서 {invoiceNumber} 발행 안내} other {청구서 발행 안내}}: 총액 {total}`,
  text: `{hasRecipient, select, yes {{recipientName}님, 안녕하세요.} other {안녕하세요.}}

{hasInvoiceNumber, select, yes {청구서(번호 {invoiceNumber})가 발행되었습니다.} other {청구서가 발행되었습니다.}}

총액: {total}
{paidInFull, select, yes {이미 결제가 완료되어 납부하실 금액이 없습니다.} other {납부하실 금액: {balance}}}

{paidInFull, select, yes {앱에서 청구서 확인하기: {link}} other {앱에서 청구서를 확인하고 결제하기: {link}}}`,
  short: `{hasInvoiceNumber, select, yes {청구서 {invoiceNumber} 발행} other {청구서 발행}}: 총액 {total} ({paidInFull, select, yes {결제 완료} other {납부하실 금액 {balance}}}). {paidInFull, select, yes {앱에서 확인하기} other {앱에서 확인 및 결제하기}}: {link}`,
} satisfies MessageTemplate;
