import type { MessageTemplate } from "../template.js";

/** To the doctor: a patient asked for a time that waits for approval. To the patient: the request was sent. */
export default {
  subject: `{audience, select, doctor {새 진료 예약 요청: {time}} other {진료 예약 요청이 접수되었습니다: {time}}}`,
  text: `{hasRecipient, select, yes {{recipientName}님, 안녕하세요.} other {안녕하세요.}}

{audience, select, doctor {{hasPatient, select, yes {{patientName}님이} other {환자가}} 진료 예약을 요청했습니다. 요청을 승인하거나 거절하실 때까지 해당 시간은 보류됩니다.} other {{doctorName} 선생님께 진료 예약 요청을 보냈습니다. 의사가 확정할 때까지 해당 시간은 회원님을 위해 보류되며, 답변이 오는 대로 알려 드리겠습니다.}}

일시: {timeLong}{audience, select, doctor {{hasPatient, select, yes {
환자: {patientName}} other {}}} other {
담당 의사: {doctorName}}}{hasService, select, yes {
진료 항목: {serviceName}} other {}}{hasLocation, select, yes {
장소: {location}} other {}}

{audience, select, doctor {앱에서 요청을 승인하거나 거절해 주세요: {link}} other {앱에서 요청 내용을 확인하실 수 있습니다: {link}}}`,
  short: `{audience, select, doctor {새 진료 예약 요청: {time}. 승인 또는 거절: {link}} other {진료 예약 요청 접수: {time}. 의사 확정을 기다리고 있습니다. {link}}}`,
} satisfies MessageTemplate;
