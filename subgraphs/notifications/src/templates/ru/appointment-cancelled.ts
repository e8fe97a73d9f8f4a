import type { MessageTemplate } from "../template.js";

/** To the patient and the doctor: the appointment was cancelled, and by whom. */
export default {
  subject: `Приём отменён: {time}`,
  text: `{hasRecipient, select, yes {Здравствуйте, {recipientName}!} other {Здравствуйте!}}

{audience, select, doctor {{changedBy, select, patient {Пациент отменил запись к вам на приём.} doctor {Вы отменили приём.} staff {Сотрудник клиники отменил один из ваших приёмов.} system {Один из ваших приёмов отменён автоматически.} other {Один из ваших приёмов отменён.}}} other {{changedBy, select, patient {Вы отменили запись на приём.} doctor {Врач отменил ваш приём. Приносим извинения за неудобства.} staff {Клиника отменила ваш приём. Приносим извинения за неудобства.} system {Ваш приём отменён автоматически.} other {Ваш приём отменён.}}}}

Время: {timeLong}{audience, select, doctor {{hasPatient, select, yes {
Пациент: {patientName}} other {}}} other {
Врач: {doctorName}}}{hasService, select, yes {
Услуга: {serviceName}} other {}}{hasLocation, select, yes {
Место: {location}} other {}}

{audience, select, doctor {Это время снова свободно в вашем расписании. Подробности в приложении: {link}} other {Записаться на другое время можно в приложении: {link}}}`,
  short: `Приём отменён: {time}. {link}`,
} satisfies MessageTemplate;
