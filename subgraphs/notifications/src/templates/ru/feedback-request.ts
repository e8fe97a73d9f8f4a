import type { MessageTemplate } from "../template.js";

/** To the patient after a fulfilled visit: how was it? */
export default {
  subject: `Как прошёл ваш приём? Время приёма: {time}`,
  text: `{hasRecipient, select, yes {Здравствуйте, {recipientName}!} other {Здравствуйте!}}

Спасибо, что посетили нас. Расскажите, пожалуйста, как прошёл приём: это займёт всего минуту и поможет нам стать лучше.

Время приёма: {timeLong}
Врач: {doctorName}{hasService, select, yes {
Услуга: {serviceName}} other {}}{hasLocation, select, yes {
Место: {location}} other {}}

Оставить отзыв можно в приложении: {link}`,
  short: `Как прошёл ваш приём? Время приёма: {time}. Оставьте отзыв: {link}`,
} satisfies MessageTemplate;
