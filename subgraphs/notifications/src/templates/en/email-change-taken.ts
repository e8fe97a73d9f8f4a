import type { MessageTemplate } from "../template.js";

/** To an address that already has an account: someone asked to move another account to it; nothing changed. */
export default {
  subject: `Your Clinigraph account`,
  text: `Hello,

Someone (perhaps you) asked to move a Clinigraph account to this e-mail address, which already has an account.

Nothing was changed. If it was not you, you need to do nothing.`,
  short: `Someone asked to move a Clinigraph account to this address, which already has one. Nothing was changed.`,
} satisfies MessageTemplate;
