import type { MessageTemplate } from "../template.js";

/** To the patient: the appointment is booked. To the doctor: a new appointment in the schedule. */
export default {
  subject: `{audience, select, doctor {새 진료 예약: {time}} other {진료 예약이 확정되었습니다: {time}}}`,
  text: `{hasRecipient, select, yes {{recipientName}님, 안녕하세요.} other {안녕하세요.}}

{audience, select, doctor {새로운 진료 예약이 등록되었습니다.} other {진료 예약이 확정되었습니다.}}

일시: {timeLong}{audience, select, doctor {{hasPatient, select, yes {
환자: {patientName}} other {}}} other {
담당 의사: {doctorName}}}{hasService, select, yes {
진료 항목: {serviceName}} other {}}{hasLocation, select, yes {
장소: {location}} other {}}

{audience, select, doctor {앱에서 확인하기: {link}} other {앱에서 예약을 확인하거나 변경 또는 취소하실 수 있습니다: {link}}}`,
  short: `{audience, select, doctor {새 진료 예약: {time}. {link}} other {진료 예약 확정: {time}{hasLocation, select, yes {, {location}} other {}}. {link}}}`,
} satisfies MessageTemplate;
