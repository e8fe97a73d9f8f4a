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
