/**
 * The doctor's calendar without React: which local days a view shows, the instants to ask the API for, and the
 * appointments of each day. Days are the doctor's zone's calendar days (`YYYY-MM-DD`), so an appointment at 00:30 local
 * time belongs to that day whatever the browser's zone is, and a DST night changes nothing but the UTC offsets.
 */
import { addDays, dayIn, daysRange, mondayOf, weekDays } from "../../lib/time";

export type CalendarView = "day" | "week" | "month";
export const VIEWS: readonly CalendarView[] = ["day", "week", "month"];

export function isView(value: string | null): value is CalendarView {
  return value !== null && (VIEWS as readonly string[]).includes(value);
}

/** A day string (YYYY-MM-DD) that is a real calendar day. */
export function isDay(value: string | null): value is string {
  if (!value || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  return addDays(value, 0) === value;
}

/** The first day of the month holding `day`. */
export function monthStart(day: string): string {
  return `${day.slice(0, 7)}-01`;
}

/** The number of days of the month holding `day`. */
export function monthLength(day: string): number {
  const [y, m] = day.split("-").map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** The local days a view around `anchor` shows, in order (day: 1, week: Monday–Sunday, month: the 1st to the last). */
export function viewDays(view: CalendarView, anchor: string): string[] {
  if (view === "day") return [anchor];
  if (view === "week") return weekDays(mondayOf(anchor));
  const first = monthStart(anchor);
  return Array.from({ length: monthLength(first) }, (_, i) => addDays(first, i));
}

/** The anchor of the previous (-1) or next (+1) period. A month moves to the 1st of the neighbouring month. */
export function shiftAnchor(view: CalendarView, anchor: string, direction: -1 | 1): string {
  if (view === "day") return addDays(anchor, direction);
  if (view === "week") return addDays(mondayOf(anchor), 7 * direction);
  const first = monthStart(anchor);
  return direction === 1 ? addDays(first, monthLength(first)) : monthStart(addDays(first, -1));
}

/** The view's days and the instants bounding them in the zone (what `calendar(from, to)` takes; at most 31 days). */
export function viewRange(view: CalendarView, anchor: string, timezone: string): { days: string[]; from: string; to: string } {
  const days = viewDays(view, anchor);
  return { days, ...daysRange(days[0]!, days[days.length - 1]!, timezone) };
}

/** Blank cells before the 1st in a Monday-first month grid (0 when the month begins on a Monday). */
export function leadingBlanks(firstDay: string): number {
  return weekDays(mondayOf(firstDay)).indexOf(firstDay);
}

/** The appointments of each of `days` by the zone's calendar day of their start, in time order (others are left out). */
export function appointmentsByDay<T extends { startsAt: string }>(days: readonly string[], timezone: string, appointments: readonly T[]): Map<string, T[]> {
  const byDay = new Map(days.map((day) => [day, [] as T[]]));
  for (const a of [...appointments].sort((x, y) => x.startsAt.localeCompare(y.startsAt))) byDay.get(dayIn(a.startsAt, timezone))?.push(a);
  return byDay;
}
