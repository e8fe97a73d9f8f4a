import type { MessageTemplate } from "../template.js";

/**
 * An examination result can be read: to the ordering doctor, or to the patient once the doctor reviewed it.
 * The time is when the examination was ordered. Neither the result nor the examination's name is ever written here.
 */
export default {
  subject: `{audience, select, doctor {Examination result ready for review – ordered {time}} other {Your examination result is ready – ordered {time}}}`,
  text: `{hasRecipient, select, yes {Hello {recipientName},} other {Hello,}}

{audience, select, doctor {The result of an examination you ordered is ready for your review.} other {The result of your examination is now available. {doctorName} has reviewed it, and you can read it in the app. For your privacy it is not included in this message.}}

Ordered: {timeLong}{audience, select, doctor {{hasPatient, select, yes {
Patient: {patientName}} other {}}} other {
Doctor: {doctorName}}}

{audience, select, doctor {Review the result in the app: {link}} other {Read the result in the app: {link}}}`,
  short: `{audience, select, doctor {An examination result is ready for review. Ordered: {time}. {link}} other {Your examination result is ready in the app. Ordered: {time}. {link}}}`,
} satisfies MessageTemplate;
