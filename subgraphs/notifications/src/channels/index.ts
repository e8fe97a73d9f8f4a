/** The ways the notifications service reaches people: e-mail, SMS and web push. */
export { createEmailChannel, emailMessageId, EMAIL_NOT_CONFIGURED, type EmailChannelOptions } from "./email.js";
export { createSmsChannel, SMS_NOT_CONFIGURED, type SmsChannelOptions, type TwilioOptions } from "./sms.js";
export {
  createPushChannel,
  generateVapidKeys,
  pushTopic,
  validatePushSubscription,
  PUSH_NOT_CONFIGURED,
  PUSH_TTL_SECONDS,
  type PushChannelOptions,
  type VapidOptions,
} from "./push.js";
