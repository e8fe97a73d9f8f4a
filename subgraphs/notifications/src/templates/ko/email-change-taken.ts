import type { MessageTemplate } from "../template.js";

/** To an address that already has an account: someone asked to move another account to it; nothing changed. */
export default {
  subject: `Clinigraph 계정 안내`,
  text: `안녕하세요.

누군가(본인일 수도 있습니다) Clinigraph 계정을 이 이메일 주소로 옮기려고 했지만, 이 주소에는 이미 계정이 있습니다.

아무것도 변경되지 않았습니다. 본인이 아니라면 아무 조치도 필요하지 않습니다.`,
  short: `누군가 Clinigraph 계정을 이미 계정이 있는 이 주소로 옮기려고 했습니다. 아무것도 변경되지 않았습니다.`,
} satisfies MessageTemplate;
