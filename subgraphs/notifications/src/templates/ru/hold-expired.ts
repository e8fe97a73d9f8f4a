import type { MessageTemplate } from "../template.js";

/** To the patient: the doctor did not answer in time and the held time was freed. To the doctor: the request expired. */
export default {
  subject: `{audience, select, doctor {Запрос на приём истёк без ответа: {time}} other {Срок вашего запроса на приём истёк: {time}}}`,
  text: `{hasRecipient, select, yes {Здравствуйте, {recipientName}!} other {Здравствуйте!}}

{audience, select, doctor {Запрос на приём не получил ответа вовремя, и срок его действия истёк. Это время снова свободно в вашем расписании.} other {Врач не успел ответить на ваш запрос, поэтому закреплённое за вами время освобождено. Приносим извинения.}}

Запрошенное время: {timeLong}{audience, select, doctor {{hasPatient, select, yes {
Пациент: {patientName}} other {}}} other {
Врач: {doctorName}}}{hasService, select, yes {
Услуга: {serviceName}} other {}}{hasLocation, select, yes {
Место: {location}} other {}}

{audience, select, doctor {Расписание в приложении: {link}} other {Пожалуйста, выберите другое время в приложении: {link}}}`,
  short: `{audience, select, doctor {Запрос на приём истёк без ответа: {time}. Время снова свободно. {link}} other {Срок запроса на приём истёк: {time}. Выберите другое время: {link}}}`,
} satisfies MessageTemplate;
