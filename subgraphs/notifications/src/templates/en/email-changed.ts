import type { MessageTemplate } from "../template.js";

/** To the old address: the account's e-mail address was changed (the new one masked). */
export default {
  subject: `Your Clinigraph e-mail address was changed`,
  text: `Hello,

The e-mail address of your Clinigraph account was changed to {maskedNewEmail}; this address no longer signs in.

If you did not do this, contact the clinic at once.`,
  short: `The e-mail address of your Clinigraph account was changed to {maskedNewEmail}. Not you? Contact the clinic at once.`,
} satisfies MessageTemplate;
