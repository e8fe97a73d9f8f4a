import type { MessageTemplate } from "../template.js";

/** To the patient (or the doctor): the appointment is `offsetMinutes` away. */
export default {
  subject: `[진료 예약 알림] {offsetUnit, select, day {{offsetCount, plural, =1 {24시간 후} other {#일 후}}} hour {{offsetCount, plural, other {#시간 후}}} minute {{offsetCount, plural, other {#분 후}}} other {곧}} 진료: {time}`,
  text: `{hasRecipient, select, yes {{recipientName}님, 안녕하세요.} other {안녕하세요.}}

{audience, select, doctor {{offsetUnit, select, day {{offsetCount, plural, =1 {24시간 후에} other {#일 후에}}} hour {{offsetCount, plural, other {#시간 후에}}} minute {{offsetCount, plural, other {#분 후에}}} other {곧}} 진료 예약이 있습니다.} other {{doctorName} 선생님과의 진료가 {offsetUnit, select, day {{offsetCount, plural, =1 {24시간 후에} other {#일 후에}}} hour {{offsetCount, plural, other {#시간 후에}}} minute {{offsetCount, plural, other {#분 후에}}} other {곧}} 시작됩니다.}}

일시: {timeLong}{audience, select, doctor {{hasPatient, select, yes {
환자: {patientName}} other {}}} other {
담당 의사: {doctorName}}}{hasService, select, yes {
진료 항목: {serviceName}} other {}}{hasLocation, select, yes {
장소: {location}} other {}}

{audience, select, doctor {앱에서 확인하기: {link}} other {방문이 어려우시면 다른 분이 이용하실 수 있도록 앱에서 예약을 취소하거나 변경해 주세요: {link}}}`,
  short: `[진료 예약 알림] {offsetUnit, select, day {{offsetCount, plural, =1 {24시간 후} other {#일 후}}} hour {{offsetCount, plural, other {#시간 후}}} minute {{offsetCount, plural, other {#분 후}}} other {곧}} 진료: {time}{hasLocation, select, yes {, {location}} other {}}. {link}`,
} satisfies MessageTemplate;
