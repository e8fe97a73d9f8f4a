/** Days and periods in the clinic's time zone, and the ranges a KPI query may ask for. */
import { badInput } from "@clinigraph/platform";
import type { Granularity } from "./types.js";

const DAY_MS = 86_400_000;
/** Longest range per granularity, in days: 3 years by day, 10 years by week or month. */
export const MAX_RANGE_DAYS: Record<Granularity, number> = { DAY: 3 * 366, WEEK: 10 * 366, MONTH: 10 * 366 };

const parseDay = (day: string) => Date.parse(`${day}T00:00:00Z`);

/** Checks a query's range (BAD_USER_INPUT): real days, from ≤ to, within the granularity's longest range. */
export function checkRange(from: string, to: string, granularity: Granularity): void {
  for (const [name, day] of [
    ["from", from],
    ["to", to],
  ] as const)
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(parseDay(day)) || new Date(parseDay(day)).toISOString().slice(0, 10) !== day)
      throw badInput(`${name} must be a day (YYYY-MM-DD)`, name);
  if (parseDay(from) > parseDay(to)) throw badInput("from must not be after to", "from");
  const days = (parseDay(to) - parseDay(from)) / DAY_MS + 1;
  if (days > MAX_RANGE_DAYS[granularity])
    throw badInput(granularity === "DAY" ? "By day, a range spans at most 3 years" : `By ${granularity.toLowerCase()}, a range spans at most 10 years`, "to");
}

/** The first day of the period holding `day`: the day itself, its ISO week's Monday, or the month's first day. */
export function periodStart(day: string, granularity: Granularity): string {
  if (granularity === "DAY") return day;
  if (granularity === "MONTH") return `${day.slice(0, 7)}-01`;
  const at = new Date(parseDay(day));
  const sinceMonday = (at.getUTCDay() + 6) % 7;
  return new Date(at.getTime() - sinceMonday * DAY_MS).toISOString().slice(0, 10);
}

/** Every period from the one holding `from` to the one holding `to`, by first day. */
export function periodsBetween(from: string, to: string, granularity: Granularity): string[] {
  const periods: string[] = [];
  let current = periodStart(from, granularity);
  const last = periodStart(to, granularity);
  while (current <= last) {
    periods.push(current);
    const at = new Date(parseDay(current));
    if (granularity === "DAY") at.setUTCDate(at.getUTCDate() + 1);
    else if (granularity === "WEEK") at.setUTCDate(at.getUTCDate() + 7);
    else at.setUTCMonth(at.getUTCMonth() + 1);
    current = at.toISOString().slice(0, 10);
  }
  return periods;
}

/** The day `days` after (or before, negative) `day`. */
export function addDays(day: string, days: number): string {
  return new Date(parseDay(day) + days * DAY_MS).toISOString().slice(0, 10);
}

/** The last day of the period that starts on `start`. */
export function periodEnd(start: string, granularity: Granularity): string {
  if (granularity === "DAY") return start;
  if (granularity === "WEEK") return addDays(start, 6);
  const at = new Date(parseDay(start));
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 0)).toISOString().slice(0, 10);
}

/** Periods (by first day, ascending) grouped into runs of consecutive ones: [first, last] of each run. */
export function consecutiveRuns(periods: readonly string[], granularity: Granularity): [string, string][] {
  const runs: [string, string][] = [];
  for (const period of periods) {
    const run = runs[runs.length - 1];
    if (run && addDays(periodEnd(run[1], granularity), 1) === period) run[1] = period;
    else runs.push([period, period]);
  }
  return runs;
}
