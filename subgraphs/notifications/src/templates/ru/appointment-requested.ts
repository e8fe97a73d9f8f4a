import type { MessageTemplate } from "../template.js";

/** To the doctor: a patient asked for a time that waits for approval. To the patient: the request was sent. */
export default {
  subject: `{audience, select, doctor {Новый запрос на приём: {time}} other {Ваш запрос на приём отправлен: {time}}}`,
  text: `{hasRecipient, select, yes {Здравствуйте, {recipientName}!} other {Здравствуйте!}}

{audience, select, doctor {Поступил новый запрос на запись к вам на приём. Время удерживается, пока вы не подтвердите или не отклоните запрос.} other {Ваш запрос на приём отправлен врачу. Время закреплено за вами до подтверждения; мы сообщим, как только врач ответит.}}

Время: {timeLong}{audience, select, doctor {{hasPatient, select, yes {
Пациент: {patientName}} other {}}} other {
Врач: {doctorName}}}{hasService, select, yes {
Услуга: {serviceName}} other {}}{hasLocation, select, yes {
Место: {location}} other {}}

{audience, select, doctor {Подтвердите или отклоните запрос в приложении: {link}} other {Посмотреть запрос можно в приложении: {link}}}`,
  short: `{audience, select, doctor {Новый запрос на приём: {time}. Подтвердить или отклонить: {link}} other {Запрос на приём отправлен: {time}. Ожидает подтверждения врача. {link}}}`,
} satisfies MessageTemplate;
