import type { MessageTemplate } from "../template.js";

/** To the patient: the doctor was deactivated and cannot see them; book another doctor (up to 3 free times of the same specialty). */
export default {
  subject: `{time} 진료 예약의 담당 의사 변경이 필요합니다`,
  text: `{hasRecipient, select, yes {{recipientName}님, 안녕하세요.} other {안녕하세요.}}

죄송합니다. {doctorName} 선생님께서 {timeLong} 예약 진료를 더 이상 하실 수 없게 되었습니다.{hasService, select, yes {
진료 항목: {serviceName}} other {}}

다른 의사로 다시 예약해 주세요. {alternativesCount, plural, =0 {앱에서 의사와 시간을 선택해 주세요: {link}} other {같은 진료과 다른 의사의 예약 가능한 시간:

{alternatives}

앱에서 위 시간 중 하나를 예약하시거나 다른 의사를 선택해 주세요: {link}}}

이 예약과 관련하여 접수처에서도 연락드리겠습니다.`,
  short: `{doctorName} 선생님의 {time} 진료가 불가능해졌습니다. 다른 의사로 예약해 주세요: {link}`,
} satisfies MessageTemplate;
