/** Input rules for accounts: e-mail, phone, name, password policy. Pure functions. */
import { badInput, checkHumanText } from "@clinigraph/platform";

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** Controls, format characters (zero-width spaces and joiners, bidi marks, BOM…), unassigned and private-use code points. */
const INVISIBLE_OR_ODD = /[\p{Cc}\p{Cf}\p{Cn}\p{Co}\p{Cs}]/u;

/**
 * Scripts a letter may belong to, and the script families that may share one part of an address (as in
 * Unicode TS 39's "highly restrictive" level: Han with kana for Japanese, Han with Hangul for Korean, Han with
 * Bopomofo for Chinese). Letters of other scripts count as their own, "other", script.
 */
const SCRIPTS = [
  "Latin",
  "Cyrillic",
  "Greek",
  "Armenian",
  "Georgian",
  "Hebrew",
  "Arabic",
  "Devanagari",
  "Bengali",
  "Thai",
  "Hangul",
  "Hiragana",
  "Katakana",
  "Han",
  "Bopomofo",
].map((name) => [name, new RegExp(`^\\p{Script=${name}}$`, "u")] as const);
const FAMILIES: readonly (readonly string[])[] = [
  ["Han", "Hiragana", "Katakana"],
  ["Han", "Hangul"],
  ["Han", "Bopomofo"],
];

function scriptOf(char: string): string | null {
  if (!/^[\p{L}\p{M}]$/u.test(char)) return null; // digits, dots, hyphens… (Common / Inherited) belong to any script
  if (/^\p{M}$/u.test(char)) return null; // a combining mark takes the script of its base letter
  return SCRIPTS.find(([, re]) => re.test(char))?.[0] ?? "other";
}

/** Whether every letter of `text` is of one script (or of one allowed family such as Han + kana). */
export function isSingleScript(text: string): boolean {
  const scripts = new Set<string>();
  for (const char of text) {
    const script = scriptOf(char);
    if (script) scripts.add(script);
  }
  if (scripts.size <= 1) return true;
  if (scripts.has("other")) return false;
  return FAMILIES.some((family) => [...scripts].every((s) => family.includes(s)));
}

/**
 * E-mail addresses: NFKC-normalised (full-width and compatibility forms fold to their plain letters),
 * lower case, trimmed. Refused (BAD_USER_INPUT on `field`) when malformed, when they hold invisible or
 * control characters, or when they mix scripts — a Cyrillic "а" in a Latin address: the local part must be
 * of one script, and each label of the domain too (internationalised domains may also come in punycode,
 * "xn--…", which is plain ASCII).
 */
export function normalizeEmail(raw: string, field = "input.email"): string {
  const email = raw.normalize("NFKC").trim().toLowerCase();
  if (email.length > 254 || !EMAIL.test(email) || INVISIBLE_OR_ODD.test(email)) throw badInput("Enter a valid e-mail address", field);
  const at = email.lastIndexOf("@");
  const local = email.slice(0, at);
  const labels = email.slice(at + 1).split(".");
  if (!isSingleScript(local) || !labels.every(isSingleScript)) {
    throw badInput("E-mail address mixes alphabets (e.g. a Cyrillic letter in a Latin address); type it in one alphabet", field);
  }
  return email;
}

/** Keeps digits and a leading +; 7–15 digits (E.164 length). */
export function normalizePhone(raw: string | null | undefined, field = "input.phone"): string | null {
  if (raw === null || raw === undefined || raw.trim() === "") return null;
  const compact = raw.trim().replace(/[\s().-]/g, "");
  if (!/^\+?\d{7,15}$/.test(compact)) throw badInput("Enter a valid phone number (7 to 15 digits, optional leading +)", field);
  return compact;
}

/** Single line: runs of white space (line breaks included) become one space; bidi overrides and control characters are refused. */
export function normalizeName(raw: string, field = "input.name"): string {
  const name = raw.trim().replace(/\s+/g, " ");
  if (name.length < 1 || name.length > 200) throw badInput("Name must be 1 to 200 characters", field);
  return checkHumanText(name, field, { singleLine: true });
}

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 256;

/**
 * Password policy: at least 10 characters, at least three of lower case, upper case, digit and symbol,
 * and not the e-mail address itself.
 */
export function checkPasswordPolicy(password: string, email: string, field = "input.password"): void {
  if (password.length < PASSWORD_MIN_LENGTH) throw badInput(`Password must be at least ${PASSWORD_MIN_LENGTH} characters`, field);
  if (password.length > PASSWORD_MAX_LENGTH) throw badInput(`Password must be at most ${PASSWORD_MAX_LENGTH} characters`, field);
  const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
  if (classes < 3) throw badInput("Password must mix at least three of: lower case, upper case, digits, symbols", field);
  if (password.trim().toLowerCase() === email.trim().toLowerCase()) throw badInput("Password must not be your e-mail address", field);
}

export function checkDateOfBirth(date: Date | null | undefined, now: Date, field = "input.dateOfBirth"): Date | null {
  if (!date) return null;
  if (date.getTime() > now.getTime()) throw badInput("Date of birth cannot be in the future", field);
  if (date.getUTCFullYear() < 1900) throw badInput("Date of birth must be after 1900", field);
  return date;
}

/**
 * National id: 4–32 characters of letters, digits, dashes and spaces. Normalised to upper case with
 * single spaces; `compact` (no spaces or dashes) is what the blind index and uniqueness use, so
 * "ab-123 456" and "AB123456" are the same id. The message never repeats the input (PHI).
 */
export function normalizeNationalId(raw: string | null | undefined, field = "input.nationalId"): { display: string; compact: string } | null {
  if (raw === null || raw === undefined || raw.trim() === "") return null;
  const display = raw.trim().replace(/\s+/g, " ").toUpperCase();
  const compact = display.replace(/[ -]/g, "");
  if (display.length < 4 || display.length > 32 || !/^[\p{L}\p{Nd} -]+$/u.test(display) || compact.length < 4) {
    throw badInput("National id must be 4 to 32 letters, digits, dashes or spaces", field);
  }
  return { display, compact };
}

/** A search term read as a national id, or null when it cannot be one (searches never fail on it). */
export function nationalIdOrNull(raw: string): { display: string; compact: string } | null {
  try {
    return normalizeNationalId(raw);
  } catch {
    return null;
  }
}

export const REASON_MAX_LENGTH = 500;

/** A reason given for an action (e.g. a deactivation): required, one line (white space collapsed), at most 500 characters. */
export function normalizeReason(raw: string, field = "reason"): string {
  const reason = raw.trim().replace(/\s+/g, " ");
  if (reason.length < 1 || reason.length > REASON_MAX_LENGTH) throw badInput(`Give a reason of 1 to ${REASON_MAX_LENGTH} characters`, field);
  return checkHumanText(reason, field, { singleLine: true });
}
