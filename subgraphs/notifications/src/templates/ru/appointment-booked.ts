import type { MessageTemplate } from "../template.js";

/** To the patient: the appointment is booked. To the doctor: a new appointment in the schedule. */
export default {
  subject: `{audience, select, doctor {Новая запись на приём: {time}} other {Запись на приём подтверждена: {time}}}`,
  text: `{hasRecipient, select, yes {Здравствуйте, {recipientName}!} other {Здравствуйте!}}

{audience, select, doctor {У вас новая запись на приём.} other {Ваша запись на приём подтверждена.}}

Время: {timeLong}{audience, select, doctor {{hasPatient, select, yes {
Пациент: {patientName}} other {}}} other {
Врач: {doctorName}}}{hasService, select, yes {
Услуга: {serviceName}} other {}}{hasLocation, select, yes {
Место: {location}} other {}}

{audience, select, doctor {Подробности в приложении: {link}} other {Посмотреть, перенести или отменить запись можно в приложении: {link}}}`,
  short: `{audience, select, doctor {Новая запись на приём: {time}. {link}} other {Запись подтверждена: {time}{hasLocation, select, yes {, {location}} other {}}. {link}}}`,
} satisfies MessageTemplate;
