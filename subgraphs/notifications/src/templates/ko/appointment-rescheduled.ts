import type { MessageTemplate } from "../template.js";

/** To the patient and the doctor: the appointment moved, and who moved it. */
export default {
  subject: `진료 예약 일시가 변경되었습니다: {time}`,
  text: `{hasRecipient, select, yes {{recipientName}님, 안녕하세요.} other {안녕하세요.}}

{audience, select, doctor {{changedBy, select, patient {{hasPatient, select, yes {{patientName}님이} other {환자가}} 진료 예약 일시를 변경했습니다.} doctor {진료 예약 일시를 변경하셨습니다.} staff {병원 직원이 선생님의 진료 예약 일시를 변경했습니다.} system {진료 예약 일시가 자동으로 변경되었습니다.} other {진료 예약 일시가 변경되었습니다.}}} other {{changedBy, select, patient {진료 예약 일시를 변경하셨습니다.} doctor {{doctorName} 선생님께서 진료 예약 일시를 변경하셨습니다.} staff {병원에서 진료 예약 일시를 변경했습니다.} system {진료 예약 일시가 자동으로 변경되었습니다.} other {진료 예약 일시가 변경되었습니다.}}}}

{hasPrevious, select, yes {이전 일시: {previousTimeLong}
} other {}}변경된 일시: {timeLong}{audience, select, doctor {{hasPatient, select, yes {
환자: {patientName}} other {}}} other {
담당 의사: {doctorName}}}{hasService, select, yes {
진료 항목: {serviceName}} other {}}{hasLocation, select, yes {
장소: {location}} other {}}

{audience, select, doctor {앱에서 확인하기: {link}} other {변경된 시간이 맞지 않으시면 앱에서 다시 변경하거나 취소하실 수 있습니다: {link}}}`,
  short: `진료 예약 일시 변경: {hasPrevious, select, yes {{previousTime} → } other {}}{time}. {link}`,
} satisfies MessageTemplate;
