/** Calendar days of an instant in a time zone (a clinic's visit days, invoice years, KPI periods). */

/**
 * One formatter per time zone: building an Intl.DateTimeFormat costs far more than formatting with it (tenths of a
 * millisecond against about a microsecond), and analytics asks for thousands of days at a time. IANA names are a
 * closed set of a few hundred, so the cache stays small; a name Intl refuses throws and is not kept.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

/** YYYY-MM-DD of `at` in `timeZone` (IANA), whatever the process's own time zone. */
export function dayIn(at: Date, timeZone: string): string {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" });
    formatters.set(timeZone, format);
  }
  return format.format(at);
}
