import type { MessageTemplate } from "../template.js";

/** To an address that already has an account: someone asked to move another account to it; nothing changed. */
export default {
  subject: `Ваша учётная запись Clinigraph`,
  text: `Здравствуйте!

Кто-то (возможно, вы) попросил перенести учётную запись Clinigraph на этот адрес электронной почты, но у этого адреса уже есть учётная запись.

Ничего не изменилось. Если это были не вы, делать ничего не нужно.`,
  short: `Кто-то попросил перенести учётную запись Clinigraph на этот адрес, у которого уже есть учётная запись. Ничего не изменилось.`,
} satisfies MessageTemplate;
