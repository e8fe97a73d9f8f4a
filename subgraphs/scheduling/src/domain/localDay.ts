import { DateTime } from "luxon";

/** The calendar day (in `timezone`) that contains `at`, as a UTC half-open range. DST-safe. */
export function localDayRange(at: Date, timezone: string): { from: Date; to: Date } {
  const start = DateTime.fromJSDate(at, { zone: timezone }).startOf("day");
  return { from: start.toJSDate(), to: start.plus({ days: 1 }).toJSDate() };
}
