import type { MessageTemplate } from "../template.js";

/** To the old address: the account's e-mail address was changed (the new one masked). */
export default {
  subject: `Clinigraph 이메일 주소가 변경되었습니다`,
  text: `안녕하세요.

Clinigraph 계정의 이메일 주소가 {maskedNewEmail}(으)로 변경되었습니다. 이 주소로는 더 이상 로그인할 수 없습니다.

본인이 변경하지 않았다면 즉시 병원에 연락해 주세요.`,
  short: `Clinigraph 계정의 이메일 주소가 {maskedNewEmail}(으)로 변경되었습니다. 본인이 아니라면 즉시 병원에 연락해 주세요.`,
} satisfies MessageTemplate;
