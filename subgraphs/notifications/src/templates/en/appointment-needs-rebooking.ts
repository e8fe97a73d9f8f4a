import type { MessageTemplate } from "../template.js";

/** To the patient: the doctor was deactivated and cannot see them; book another doctor (up to 3 free times of the same specialty). */
export default {
  subject: `Your appointment on {time} needs a new doctor`,
  text: `{hasRecipient, select, yes {Hello {recipientName},} other {Hello,}}

We are sorry: {doctorName} is no longer available for your appointment on {timeLong}.{hasService, select, yes {
Service: {serviceName}} other {}}

Please book another doctor. {alternativesCount, plural, =0 {Choose a doctor and a time in the app: {link}} one {A free time with another doctor of the same specialty:

{alternatives}

Book it or choose another doctor in the app: {link}} other {Free times with other doctors of the same specialty:

{alternatives}

Book one of them or choose another doctor in the app: {link}}}

Our reception will also get in touch with you about this appointment.`,
  short: `{doctorName} is no longer available for your appointment on {time}. Please book another doctor: {link}`,
} satisfies MessageTemplate;
