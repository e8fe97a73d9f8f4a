import type { MessageTemplate } from "../template.js";

/** To the patient after a fulfilled visit: how was it? */
export default {
  subject: `진료는 어떠셨나요? 진료 일시: {time}`,
  text: `{hasRecipient, select, yes {{recipientName}님, 안녕하세요.} other {안녕하세요.}}

{doctorName} 선생님께 진료를 받아 주셔서 감사합니다. 진료는 어떠셨는지 들려주세요. 1분이면 충분하며, 더 나은 진료 서비스를 위해 소중히 참고하겠습니다.

진료 일시: {timeLong}
담당 의사: {doctorName}{hasService, select, yes {
진료 항목: {serviceName}} other {}}{hasLocation, select, yes {
장소: {location}} other {}}

앱에서 의견 남기기: {link}`,
  short: `진료는 어떠셨나요? 진료 일시: {time}. 의견 남기기: {link}`,
} satisfies MessageTemplate;
