import type { MessageTemplate } from "../template.js";

/** To the patient: the doctor did not answer in time and the held time was freed. To the doctor: the request expired. */
export default {
  subject: `{audience, select, doctor {답변 없이 만료된 진료 예약 요청: {time}} other {진료 예약 요청이 만료되었습니다: {time}}}`,
  text: `{hasRecipient, select, yes {{recipientName}님, 안녕하세요.} other {안녕하세요.}}

{audience, select, doctor {진료 예약 요청에 기한 내 답변이 없어 요청이 만료되었습니다. 해당 시간은 다시 예약할 수 있는 상태가 되었습니다.} other {{doctorName} 선생님의 답변이 기한 내에 오지 않아, 회원님을 위해 보류했던 시간이 해제되었습니다. 불편을 드려 죄송합니다.}}

요청 일시: {timeLong}{audience, select, doctor {{hasPatient, select, yes {
환자: {patientName}} other {}}} other {
담당 의사: {doctorName}}}{hasService, select, yes {
진료 항목: {serviceName}} other {}}{hasLocation, select, yes {
장소: {location}} other {}}

{audience, select, doctor {앱에서 일정 확인하기: {link}} other {앱에서 다른 시간을 선택해 주세요: {link}}}`,
  short: `{audience, select, doctor {진료 예약 요청이 답변 없이 만료되었습니다: {time}. {link}} other {진료 예약 요청이 만료되었습니다: {time}. 다른 시간을 선택해 주세요: {link}}}`,
} satisfies MessageTemplate;
