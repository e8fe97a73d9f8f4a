import { badInput, canonicalTimeZone } from "@clinigraph/platform";

/**
 * Validates a doctor's IANA time zone and returns its canonical spelling ("europe/berlin" → "Europe/Berlin"). Fixed
 * offsets like "+02:00" are not zones and do not follow DST: refused, on every Node version (platform's
 * canonicalTimeZone).
 */
export function normalizeTimeZone(zone: string, field = "timezone"): string {
  const canonical = canonicalTimeZone(zone.trim());
  if (canonical === null) throw badInput('Unknown time zone: use an IANA name such as "Europe/Berlin"', field);
  return canonical;
}
