import type { MessageTemplate } from "../template.js";

/** To the patient (or the doctor): the appointment is `offsetMinutes` away. */
export default {
  subject: `Напоминание: приём {offsetUnit, select, day {{offsetCount, plural, =1 {через 24 часа} one {через # день} few {через # дня} many {через # дней} other {через # дня}}} hour {{offsetCount, plural, =1 {через час} one {через # час} few {через # часа} many {через # часов} other {через # часа}}} minute {{offsetCount, plural, one {через # минуту} few {через # минуты} many {через # минут} other {через # минуты}}} other {скоро}} – {time}`,
  text: `{hasRecipient, select, yes {Здравствуйте, {recipientName}!} other {Здравствуйте!}}

{audience, select, doctor {Напоминаем: у вас приём} other {Напоминаем: ваш приём у врача}} {offsetUnit, select, day {{offsetCount, plural, =1 {через 24 часа} one {через # день} few {через # дня} many {через # дней} other {через # дня}}} hour {{offsetCount, plural, =1 {через час} one {через # час} few {через # часа} many {через # часов} other {через # часа}}} minute {{offsetCount, plural, one {через # минуту} few {через # минуты} many {через # минут} other {через # минуты}}} other {совсем скоро}}.

Время: {timeLong}{audience, select, doctor {{hasPatient, select, yes {
Пациент: {patientName}} other {}}} other {
Врач: {doctorName}}}{hasService, select, yes {
Услуга: {serviceName}} other {}}{hasLocation, select, yes {
Место: {location}} other {}}

{audience, select, doctor {Подробности в приложении: {link}} other {Если вы не сможете прийти, пожалуйста, отмените или перенесите запись в приложении, чтобы это время мог занять другой пациент: {link}}}`,
  short: `Напоминание: приём {offsetUnit, select, day {{offsetCount, plural, =1 {через 24 часа} one {через # день} few {через # дня} many {через # дней} other {через # дня}}} hour {{offsetCount, plural, =1 {через час} one {через # час} few {через # часа} many {через # часов} other {через # часа}}} minute {{offsetCount, plural, one {через # минуту} few {через # минуты} many {через # минут} other {через # минуты}}} other {скоро}}, {time}{hasLocation, select, yes {, {location}} other {}}. {link}`,
} satisfies MessageTemplate;
