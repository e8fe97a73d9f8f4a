import { IANAZone } from "luxon";
import { badInput } from "@clinigraph/platform";

/** Region/City style names (and "UTC"); fixed offsets like "+02:00" are not IANA zones and do not follow DST. */
const IANA_NAME = /^(?:UTC|[A-Za-z]+(?:\/[A-Za-z0-9_+-]+)+)$/;

export function isValidTimeZone(zone: string): boolean {
  return IANA_NAME.test(zone) && IANAZone.isValidZone(zone);
}

/** Validates an IANA time zone and returns its canonical spelling ("europe/berlin" → "Europe/Berlin"). */
export function normalizeTimeZone(zone: string, field = "timezone"): string {
  const trimmed = zone.trim();
  if (!isValidTimeZone(trimmed)) throw badInput('Unknown time zone: use an IANA name such as "Europe/Berlin"', field);
  return new Intl.DateTimeFormat("en-US", { timeZone: trimmed }).resolvedOptions().timeZone;
}
