import type { MessageTemplate } from "../template.js";

/**
 * An examination result can be read: to the ordering doctor, or to the patient once the doctor reviewed it.
 * The time is when the examination was ordered. Neither the result nor the examination's name is ever written here.
 */
export default {
  subject: `{audience, select, doctor {검사 결과 확인 요청 – 검사 의뢰 일시: {time}} other {검사 결과가 나왔습니다 – 검사 의뢰 일시: {time}}}`,
  text: `{hasRecipient, select, yes {{recipientName}님, 안녕하세요.} other {안녕하세요.}}

{audience, select, doctor {의뢰하신 검사의 결과가 나왔습니다. 앱에서 결과를 확인해 주세요.} other {검사 결과가 나왔습니다. {doctorName} 선생님께서 결과를 확인하셨으며, 앱에서 보실 수 있습니다. 개인정보 보호를 위해 결과 내용은 이 메시지에 담지 않았습니다.}}

검사 의뢰 일시: {timeLong}{audience, select, doctor {{hasPatient, select, yes {
환자: {patientName}} other {}}} other {
담당 의사: {doctorName}}}

{audience, select, doctor {앱에서 결과 확인하기: {link}} other {앱에서 결과 보기: {link}}}`,
  short: `{audience, select, doctor {검사 결과를 확인해 주세요. 검사 의뢰 일시: {time}. {link}} other {검사 결과가 나왔습니다. 검사 의뢰 일시: {time}. 앱에서 보기: {link}}}`,
} satisfies MessageTemplate;
