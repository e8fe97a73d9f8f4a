import type { MessageTemplate } from "../template.js";

/** To the patient: the doctor declined the request, with up to 3 other free times. To the doctor: the decline is recorded. */
export default {
  subject: `{audience, select, doctor {진료 예약 요청을 거절했습니다: {time}} other {진료 예약 요청이 거절되었습니다: {time}}}`,
  text: `{hasRecipient, select, yes {{recipientName}님, 안녕하세요.} other {안녕하세요.}}

{audience, select, doctor {진료 예약 요청을 거절하셨습니다. 해당 시간은 다시 예약할 수 있는 상태가 되었습니다.} other {죄송합니다. {doctorName} 선생님께서 요청하신 시간에는 진료가 어렵습니다.}}

요청 일시: {timeLong}{audience, select, doctor {{hasPatient, select, yes {
환자: {patientName}} other {}}} other {
담당 의사: {doctorName}}}{hasService, select, yes {
진료 항목: {serviceName}} other {}}{hasLocation, select, yes {
장소: {location}} other {}}

{audience, select, doctor {앱에서 일정 확인하기: {link}} other {{alternativesCount, plural, =0 {앱에서 다른 시간을 선택해 주세요: {link}} other {같은 의사의 예약 가능한 다른 시간:

{alternatives}

앱에서 위 시간 중 하나를 예약하시거나 다른 시간을 선택해 주세요: {link}}}}}`,
  short: `{audience, select, doctor {진료 예약 요청 거절: {time}. {link}} other {진료 예약 요청이 거절되었습니다: {time}. 다른 시간을 선택해 주세요: {link}}}`,
} satisfies MessageTemplate;
