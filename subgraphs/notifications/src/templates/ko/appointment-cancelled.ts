import type { MessageTemplate } from "../template.js";

/** To the patient and the doctor: the appointment was cancelled, and by whom. */
export default {
  subject: `진료 예약이 취소되었습니다: {time}`,
  text: `{hasRecipient, select, yes {{recipientName}님, 안녕하세요.} other {안녕하세요.}}

{audience, select, doctor {{changedBy, select, patient {{hasPatient, select, yes {{patientName}님이} other {환자가}} 진료 예약을 취소했습니다.} doctor {진료 예약을 취소하셨습니다.} staff {병원 직원이 선생님의 진료 예약을 취소했습니다.} system {진료 예약이 자동으로 취소되었습니다.} other {진료 예약이 취소되었습니다.}}} other {{changedBy, select, patient {진료 예약을 취소하셨습니다.} doctor {{doctorName} 선생님께서 진료 예약을 취소하셨습니다. 불편을 드려 죄송합니다.} staff {병원에서 진료 예약을 취소했습니다. 불편을 드려 죄송합니다.} system {진료 예약이 자동으로 취소되었습니다.} other {진료 예약이 취소되었습니다.}}}}

일시: {timeLong}{audience, select, doctor {{hasPatient, select, yes {
환자: {patientName}} other {}}} other {
담당 의사: {doctorName}}}{hasService, select, yes {
진료 항목: {serviceName}} other {}}{hasLocation, select, yes {
장소: {location}} other {}}

{audience, select, doctor {해당 시간은 다시 예약할 수 있는 상태가 되었습니다. 앱에서 확인하기: {link}} other {앱에서 새로 예약하실 수 있습니다: {link}}}`,
  short: `진료 예약 취소: {time}. {link}`,
} satisfies MessageTemplate;
