/**
 * The one check of a time zone someone gave us (a doctor's zone, CLINIC_TIMEZONE, the zone slots are generated in).
 *
 * Only IANA zone names pass: "Europe/Berlin", "America/Argentina/Buenos_Aires", "UTC", "Etc/GMT+2", and the older
 * names the time zone database still carries ("EST5EDT", "Asia/Calcutta"), whatever their case. Offsets do not:
 * "+02:00", "-0500", "UTC+2", "GMT+0200", nor "" or anything that is not a name. A fixed offset is not a place's zone
 * (it misses every DST change), and whether the runtime takes one depends on its ICU: Node 20 refuses "+02:00", the
 * ICU of Node 22 and later accepts it as a zone. So a name must first look like an IANA name (parts of letters,
 * digits, "_", "-" and "+", each part starting with a letter), then be known to the runtime's time zone data, and what
 * the runtime makes of it must again be a name, not an offset.
 */

const IANA_NAME = /^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z][A-Za-z0-9_+-]*)*$/;
/** "UTC+2", "GMT-0200", "UT+1": an offset spelled after a name; no IANA zone is spelled so (Etc/GMT+2 is). */
const NAMED_OFFSET = /^(?:UTC|GMT|UT)[+-]/i;
/** Longer than any IANA name (the longest are about 32 characters); keeps huge input away from Intl. */
const MAX_LENGTH = 64;

/**
 * The runtime's canonical spelling of an IANA zone name ("europe/berlin" → "Europe/Berlin", "Etc/UTC" → "UTC"), or
 * null when `name` is not one (offsets included, on every Node version).
 */
export function canonicalTimeZone(name: unknown): string | null {
  if (typeof name !== "string" || name.length > MAX_LENGTH || !IANA_NAME.test(name) || NAMED_OFFSET.test(name)) return null;
  let resolved: string;
  try {
    resolved = new Intl.DateTimeFormat("en-US", { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
  return IANA_NAME.test(resolved) && !NAMED_OFFSET.test(resolved) ? resolved : null;
}

/** Whether `name` is an IANA time zone name the runtime knows (never an offset such as "+02:00"). */
export function isIanaTimeZone(name: unknown): name is string {
  return canonicalTimeZone(name) !== null;
}
