/** Calendar days of an instant in a time zone (a clinic's visit days, invoice years, KPI periods). */

/** YYYY-MM-DD of `at` in `timeZone` (IANA), whatever the process's own time zone. */
export function dayIn(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(at);
}
