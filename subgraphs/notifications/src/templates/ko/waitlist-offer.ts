import type { MessageTemplate } from "../template.js";

/**
 * To the patient: a time they waited for was freed and taken for them, booked (BOOKED) or waiting for the doctor (PENDING).
 * To the doctor: a patient from the waiting list got the time. `status` other than BOOKED is PENDING.
 */
export default {
  subject: `{audience, select, doctor {{status, select, BOOKED {대기자 명단에서 새 진료 예약: {time}} other {승인 대기 중인 대기자 예약: {time}}}} other {{status, select, BOOKED {기다리시던 시간이 예약되었습니다: {time}} other {기다리시던 시간에 자리가 났습니다(의사 확정 대기): {time}}}}}`,
  text: `{hasRecipient, select, yes {{recipientName}님, 안녕하세요.} other {안녕하세요.}}

{audience, select, doctor {{status, select, BOOKED {대기자 명단의 환자가 비게 된 시간에 예약되었습니다.} other {비게 된 시간이 대기자 명단의 환자에게 배정되어 선생님의 승인을 기다리고 있습니다.}}} other {{status, select, BOOKED {반가운 소식입니다. 기다리시던 시간에 자리가 나서 예약해 드렸습니다.} other {반가운 소식입니다. 기다리시던 시간에 자리가 나서 회원님을 위해 보류해 두었습니다. 현재 의사의 확정을 기다리고 있으며, 답변이 오는 대로 알려 드리겠습니다.}}}}

일시: {timeLong}{audience, select, doctor {{hasPatient, select, yes {
환자: {patientName}} other {}}} other {
담당 의사: {doctorName}}}{hasService, select, yes {
진료 항목: {serviceName}} other {}}{hasLocation, select, yes {
장소: {location}} other {}}

{audience, select, doctor {{status, select, BOOKED {앱에서 확인하기: {link}} other {앱에서 승인하거나 거절해 주세요: {link}}}} other {{status, select, BOOKED {시간이 맞지 않으시면 앱에서 취소하실 수 있습니다: {link}} other {앱에서 확인하기: {link}}}}}`,
  short: `{audience, select, doctor {{status, select, BOOKED {대기자 명단에서 새 진료 예약: {time}. {link}} other {대기자 예약 승인 요청: {time}. {link}}}} other {{status, select, BOOKED {기다리시던 시간 예약 완료: {time}{hasLocation, select, yes {, {location}} other {}}. {link}} other {기다리시던 시간에 자리가 났습니다: {time}. 의사 확정을 기다리고 있습니다. {link}}}}}`,
} satisfies MessageTemplate;
