/**
 * Time off is entered as the doctor's local dates and times (their zone, whatever the admin's browser's is) and sent
 * as instants. A local time that does not exist (the hour skipped when clocks go forward) moves forward by the gap,
 * as the zone's clocks do (02:30 → 03:30); one that happens twice (clocks going back) is its first occurrence.
 */
import { tzOffset } from "@date-fns/tz";

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^(\d{2}):(\d{2})$/;
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** "2026-03-29" + "09:00" in Europe/Berlin → "2026-03-29T07:00:00.000Z"; null for a malformed date, time or zone. */
export function localToInstant(date: string, time: string, tz: string): string | null {
  const d = DATE.exec(date);
  const t = TIME.exec(time || "00:00");
  if (!d || !t) return null;
  const [y, m, day, h, min] = [Number(d[1]), Number(d[2]), Number(d[3]), Number(t[1]), Number(t[2])];
  // A day that does not exist (31 April) would roll over: refuse it rather than guess.
  if (m < 1 || m > 12 || day < 1 || new Date(Date.UTC(y, m - 1, day)).getUTCDate() !== day || h > 23 || min > 59) return null;
  // The wall time read as if it were UTC, less the zone's offset: the offsets in force a day before and after are the
  // only candidates (zones change their clocks at most once in two days).
  const wall = Date.UTC(y, m - 1, day, h, min);
  const offset = (at: number) => tzOffset(tz, new Date(at));
  const before = offset(wall - DAY);
  const after = offset(wall + DAY);
  if (!Number.isFinite(before) || !Number.isFinite(after)) return null;
  const matches = [...new Set([before, after])].map((o) => wall - o * MINUTE).filter((instant) => offset(instant) * MINUTE === wall - instant);
  // None: the time falls in a gap; with the offset before it, the clock reads the time the gap moved it to.
  const instant = matches.length ? Math.min(...matches) : wall - before * MINUTE;
  return new Date(instant).toISOString();
}

export type TimeOffProblem = "from" | "to" | "order";

/** The period as instants, or what is wrong with it. */
export function timeOffRange(
  input: { fromDate: string; fromTime: string; toDate: string; toTime: string },
  tz: string,
): { from: string; to: string } | { problem: TimeOffProblem } {
  const from = localToInstant(input.fromDate, input.fromTime, tz);
  if (!from) return { problem: "from" };
  const to = localToInstant(input.toDate, input.toTime, tz);
  if (!to) return { problem: "to" };
  if (new Date(to).getTime() <= new Date(from).getTime()) return { problem: "order" };
  return { from, to };
}
