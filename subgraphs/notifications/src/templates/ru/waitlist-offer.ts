import type { MessageTemplate } from "../template.js";

/**
 * To the patient: a time they waited for was freed and taken for them, booked (BOOKED) or waiting for the doctor (PENDING).
 * To the doctor: a patient from the waiting list got the time. `status` other than BOOKED is PENDING.
 */
export default {
  subject: `{audience, select, doctor {{status, select, BOOKED {Новая запись из листа ожидания: {time}} other {Запись из листа ожидания ждёт вашего подтверждения: {time}}}} other {{status, select, BOOKED {Освободилось время, и вы записаны: {time}} other {Освободилось время, ожидается подтверждение врача: {time}}}}}`,
  text: `{hasRecipient, select, yes {Здравствуйте, {recipientName}!} other {Здравствуйте!}}

{audience, select, doctor {{status, select, BOOKED {Пациент из листа ожидания записан на освободившееся время.} other {Освободившееся время предложено пациенту из листа ожидания, запись ждёт вашего подтверждения.}}} other {{status, select, BOOKED {Хорошая новость: освободилось время, которого вы ждали, и мы записали вас на приём.} other {Хорошая новость: освободилось время, которого вы ждали, и мы закрепили его за вами. Теперь запись ждёт подтверждения врача; мы сообщим, как только он ответит.}}}}

Время: {timeLong}{audience, select, doctor {{hasPatient, select, yes {
Пациент: {patientName}} other {}}} other {
Врач: {doctorName}}}{hasService, select, yes {
Услуга: {serviceName}} other {}}{hasLocation, select, yes {
Место: {location}} other {}}

{audience, select, doctor {{status, select, BOOKED {Подробности в приложении: {link}} other {Подтвердите или отклоните запись в приложении: {link}}}} other {{status, select, BOOKED {Если время вам не подходит, запись можно отменить в приложении: {link}} other {Подробности в приложении: {link}}}}}`,
  short: `{audience, select, doctor {{status, select, BOOKED {Новая запись из листа ожидания: {time}. {link}} other {Запись из листа ожидания ждёт подтверждения: {time}. {link}}}} other {{status, select, BOOKED {Освободилось время, вы записаны: {time}{hasLocation, select, yes {, {location}} other {}}. {link}} other {Освободилось время: {time}. Ожидает подтверждения врача. {link}}}}}`,
} satisfies MessageTemplate;
