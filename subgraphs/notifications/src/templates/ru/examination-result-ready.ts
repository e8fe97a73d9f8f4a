import type { MessageTemplate } from "../template.js";

/**
 * An examination result can be read: to the ordering doctor, or to the patient once the doctor reviewed it.
 * The time is when the examination was ordered. Neither the result nor the examination's name is ever written here.
 */
export default {
  subject: `{audience, select, doctor {Результат обследования ждёт просмотра – назначено: {time}} other {Результат вашего обследования готов – назначено: {time}}}`,
  text: `{hasRecipient, select, yes {Здравствуйте, {recipientName}!} other {Здравствуйте!}}

{audience, select, doctor {Готов результат назначенного вами обследования. Пожалуйста, просмотрите его в приложении.} other {Результат вашего обследования готов. Врач его просмотрел, и теперь вы можете ознакомиться с ним в приложении. В целях конфиденциальности сам результат в это письмо не включён.}}

Обследование назначено: {timeLong}{audience, select, doctor {{hasPatient, select, yes {
Пациент: {patientName}} other {}}} other {
Врач: {doctorName}}}

{audience, select, doctor {Просмотреть результат: {link}} other {Открыть результат в приложении: {link}}}`,
  short: `{audience, select, doctor {Результат обследования ждёт просмотра. Назначено: {time}. {link}} other {Результат вашего обследования готов. Назначено: {time}. {link}}}`,
} satisfies MessageTemplate;
