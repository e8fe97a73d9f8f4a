import type { MessageTemplate } from "../template.js";

/** To the old address: the account's e-mail address was changed (the new one masked). */
export default {
  subject: `Адрес электронной почты в Clinigraph изменён`,
  text: `Здравствуйте!

Адрес электронной почты вашей учётной записи Clinigraph изменён на {maskedNewEmail}; с этим адресом войти больше нельзя.

Если это сделали не вы, немедленно свяжитесь с клиникой.`,
  short: `Адрес вашей учётной записи Clinigraph изменён на {maskedNewEmail}. Если это не вы, немедленно свяжитесь с клиникой.`,
} satisfies MessageTemplate;
