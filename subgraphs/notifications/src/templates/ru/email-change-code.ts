import type { MessageTemplate } from "../template.js";

/** To the new address: the code that moves the account to it. The code is never in the subject (the log keeps subjects). */
export default {
  subject: `Код для смены адреса электронной почты в Clinigraph`,
  text: `Здравствуйте!

Ваш код для переноса учётной записи Clinigraph на этот адрес электронной почты: {code}.

Код действует {validMinutes, plural, one {# минуту} few {# минуты} many {# минут} other {# минуты}}. Если вы его не запрашивали, просто проигнорируйте это письмо: без кода ничего не изменится.`,
  short: `Код для смены адреса в Clinigraph: {code} (действует {validMinutes, plural, one {# минуту} few {# минуты} many {# минут} other {# минуты}}).`,
} satisfies MessageTemplate;
