import type { MessageTemplate } from "../template.js";

/** To the patient: the doctor declined the request, with up to 3 other free times. To the doctor: the decline is recorded. */
export default {
  subject: `{audience, select, doctor {Вы отклонили запрос на приём: {time}} other {Запрос на приём отклонён: {time}}}`,
  text: `{hasRecipient, select, yes {Здравствуйте, {recipientName}!} other {Здравствуйте!}}

{audience, select, doctor {Вы отклонили запрос на приём. Это время снова свободно в вашем расписании.} other {К сожалению, врач не сможет принять вас в запрошенное время.}}

Запрошенное время: {timeLong}{audience, select, doctor {{hasPatient, select, yes {
Пациент: {patientName}} other {}}} other {
Врач: {doctorName}}}{hasService, select, yes {
Услуга: {serviceName}} other {}}{hasLocation, select, yes {
Место: {location}} other {}}

{audience, select, doctor {Расписание в приложении: {link}} other {{alternativesCount, plural, =0 {Пожалуйста, выберите другое время в приложении: {link}} other {Свободное время у этого же врача:

{alternatives}

Запишитесь на подходящее время или выберите другое в приложении: {link}}}}}`,
  short: `{audience, select, doctor {Запрос на приём отклонён: {time}. {link}} other {Запрос на приём отклонён: {time}. Выберите другое время: {link}}}`,
} satisfies MessageTemplate;
