import type { MessageTemplate } from "../template.js";

/** To the patient: the doctor was deactivated and cannot see them; book another doctor (up to 3 free times of the same specialty). */
export default {
  subject: `Для приёма {time} нужен другой врач`,
  text: `{hasRecipient, select, yes {Здравствуйте, {recipientName}!} other {Здравствуйте!}}

К сожалению, {doctorName} больше не может принять вас {timeLong}.{hasService, select, yes {
Услуга: {serviceName}} other {}}

Пожалуйста, запишитесь к другому врачу. {alternativesCount, plural, =0 {Выберите врача и время в приложении: {link}} other {Свободное время у других врачей той же специальности:

{alternatives}

Запишитесь на подходящее время или выберите другого врача в приложении: {link}}}

Регистратура также свяжется с вами по поводу этого приёма.`,
  short: `{doctorName} больше не может принять вас {time}. Запишитесь к другому врачу: {link}`,
} satisfies MessageTemplate;
