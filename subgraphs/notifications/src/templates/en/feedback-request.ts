import type { MessageTemplate } from "../template.js";

/** To the patient after a fulfilled visit: how was it? */
export default {
  subject: `How was your visit on {time}?`,
  text: `{hasRecipient, select, yes {Hello {recipientName},} other {Hello,}}

Thank you for visiting {doctorName}. We would love to hear how your visit went: it takes only a minute and helps us improve.

Visit: {timeLong}
Doctor: {doctorName}{hasService, select, yes {
Service: {serviceName}} other {}}{hasLocation, select, yes {
Where: {location}} other {}}

Share your feedback in the app: {link}`,
  short: `How was your visit on {time}? Tell us: {link}`,
} satisfies MessageTemplate;
