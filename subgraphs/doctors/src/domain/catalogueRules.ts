/**
 * The rules of catalogue entries (pure, no I/O): codes are 2 to 16 upper-case letters, digits or underscores and never
 * change; names are one line of at most 200 characters; a service lasts 5 to 480 minutes, in steps of 5.
 */
import { badInput } from "@clinigraph/platform";
import { requiredText, TEXT_LIMITS } from "./text.js";
import { SERVICE_KINDS, type ServiceKind } from "./types.js";

export const CATALOGUE_CODE = /^[A-Z0-9_]{2,16}$/;
export const SERVICE_DURATION = { min: 5, max: 480, step: 5 } as const;

/** The code as stored (surrounding spaces dropped), or BAD_USER_INPUT. Never upper-cased for the caller. */
export function catalogueCode(value: string, field: string): string {
  const code = value.trim();
  if (!CATALOGUE_CODE.test(code)) throw badInput("A code is 2 to 16 upper-case letters (A-Z), digits or underscores", field);
  return code;
}

/** One line (names, e.g. in lists and on invoices), trimmed, at most 200 characters. */
export function catalogueName(value: string | null | undefined, field: string): string {
  return requiredText(value, field, TEXT_LIMITS.name);
}

export function serviceDuration(value: number, field: string): number {
  const { min, max, step } = SERVICE_DURATION;
  if (!Number.isInteger(value) || value < min || value > max || value % step !== 0)
    throw badInput(`The duration is ${min} to ${max} minutes, a multiple of ${step}`, field);
  return value;
}

export function serviceKind(value: string, field: string): ServiceKind {
  if (!(SERVICE_KINDS as readonly string[]).includes(value)) throw badInput("Unknown service kind", field);
  return value as ServiceKind;
}
