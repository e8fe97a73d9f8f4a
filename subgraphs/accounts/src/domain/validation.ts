/** Input rules for accounts: e-mail, phone, name, password policy. Pure functions. */
import { badInput } from "@clinigraph/platform";

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function normalizeEmail(raw: string, field = "input.email"): string {
  const email = raw.trim().toLowerCase();
  if (email.length > 254 || !EMAIL.test(email)) throw badInput("Enter a valid e-mail address", field);
  return email;
}

/** Keeps digits and a leading +; 7–15 digits (E.164 length). */
export function normalizePhone(raw: string | null | undefined, field = "input.phone"): string | null {
  if (raw === null || raw === undefined || raw.trim() === "") return null;
  const compact = raw.trim().replace(/[\s().-]/g, "");
  if (!/^\+?\d{7,15}$/.test(compact)) throw badInput("Enter a valid phone number (7 to 15 digits, optional leading +)", field);
  return compact;
}

export function normalizeName(raw: string, field = "input.name"): string {
  const name = raw.trim().replace(/\s+/g, " ");
  if (name.length < 1 || name.length > 200) throw badInput("Name must be 1 to 200 characters", field);
  return name;
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
