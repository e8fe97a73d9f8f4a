import type { MessageTemplate } from "../template.js";

/** To the patient and the doctor: the appointment moved, and who moved it. */
export default {
  subject: `Приём перенесён на другое время: {time}`,
  text: `{hasRecipient, select, yes {Здравствуйте, {recipientName}!} other {Здравствуйте!}}

{audience, select, doctor {{changedBy, select, patient {Пациент перенёс запись к вам на приём.} doctor {Вы перенесли приём.} staff {Сотрудник клиники перенёс один из ваших приёмов.} system {Один из ваших приёмов перенесён автоматически.} other {Один из ваших приёмов перенесён.}}} other {{changedBy, select, patient {Вы перенесли запись на приём.} doctor {Врач перенёс ваш приём.} staff {Клиника перенесла ваш приём.} system {Ваш приём перенесён автоматически.} other {Ваш приём перенесён.}}}}

{hasPrevious, select, yes {Прежнее время: {previousTimeLong}
} other {}}Новое время: {timeLong}{audience, select, doctor {{hasPatient, select, yes {
Пациент: {patientName}} other {}}} other {
Врач: {doctorName}}}{hasService, select, yes {
Услуга: {serviceName}} other {}}{hasLocation, select, yes {
Место: {location}} other {}}

{audience, select, doctor {Подробности в приложении: {link}} other {Если новое время вам не подходит, запись можно перенести или отменить в приложении: {link}}}`,
  short: `Приём перенесён. Новое время: {time}{hasPrevious, select, yes {. Прежнее: {previousTime}} other {}}. {link}`,
} satisfies MessageTemplate;
