import type { MessageTemplate } from "../template.js";

/** To the new address: the code that moves the account to it. The code is never in the subject (the log keeps subjects). */
export default {
  subject: `Clinigraph 이메일 변경 인증 코드`,
  text: `안녕하세요.

Clinigraph 계정을 이 이메일 주소로 옮기기 위한 인증 코드는 {code}입니다.

이 코드는 {validMinutes}분 동안 유효합니다. 요청하지 않으셨다면 이 이메일을 무시하세요. 코드 없이는 아무것도 바뀌지 않습니다.`,
  short: `Clinigraph 이메일 변경 인증 코드: {code} ({validMinutes}분 동안 유효)`,
} satisfies MessageTemplate;
