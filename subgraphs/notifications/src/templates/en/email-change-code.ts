import type { MessageTemplate } from "../template.js";

/** To the new address: the code that moves the account to it. The code is never in the subject (the log keeps subjects). */
export default {
  subject: `Your Clinigraph e-mail change code`,
  text: `Hello,

Your code to move your Clinigraph account to this e-mail address is {code}.

It is valid for {validMinutes, plural, one {# minute} other {# minutes}}. If you did not ask for it, ignore this e-mail: nothing changes without it.`,
  short: `Your Clinigraph e-mail change code is {code} (valid {validMinutes, plural, one {# minute} other {# minutes}}).`,
} satisfies MessageTemplate;
