/**
 * Weekly schedule rules → bookable slots (scheduling books them; analytics counts the time they offer), in the doctor's IANA time zone, correct across DST changes.
 * Pure: no clock, and nothing depends on the process time zone (luxon with explicit zones everywhere).
 *
 * - Rule steps are wall-clock times: a 09:00–12:00 rule with 30-minute slots starts slots at 09:00, 09:30 … 11:30
 *   local on every day, DST change days included (the bound `start + slotMinutes ≤ endTime` is wall-clock minutes).
 * - A local start that does not exist (spring-forward gap) is skipped; one that occurs twice (fall-back overlap)
 *   yields one slot, at the first occurrence.
 * - `endsAt` is `startsAt` + `slotMinutes` of real (elapsed) time, not the local end converted to UTC: every slot lasts
 *   exactly `slotMinutes`, never zero or negative, even when its wall-clock end falls in a gap or an overlap. So on a
 *   spring-forward day in Berlin the hourly 01:00 slot ends at 03:00 local (01:00 + one real hour); on a fall-back day
 *   the hourly 02:00 slot (first occurrence) ends when the clock shows 02:00 again, and the repeated 02:00–03:00 hour
 *   stays without slots (the next one starts at 03:00).
 * - Two rules producing the same start instant yield one slot: the earlier rule in `rules` wins.
 * - Effective-dated schedules: `upcoming` versions take over from their `from` day (YYYY-MM-DD, local to the zone); on
 *   each local day the rules in force are those of the latest version whose `from` is that day or earlier, else `rules`.
 * - Extra hours: UTC ranges cut into slots of `slotMinutes` (real time) from their start; a slot that overlaps one of
 *   the weekly rules' slots is left out (the rules win), and time off blocks them like any other.
 */
import { DateTime, IANAZone } from "luxon";
import { isIanaTimeZone } from "./timeZones.js";

export type DayOfWeek = "MONDAY" | "TUESDAY" | "WEDNESDAY" | "THURSDAY" | "FRIDAY" | "SATURDAY" | "SUNDAY";
export interface WeeklyRule {
  dayOfWeek: DayOfWeek;
  /** "HH:MM" local. */
  startTime: string;
  /** "HH:MM" local, after startTime; "24:00" allowed. */
  endTime: string;
  slotMinutes: number;
}
/** Absolute instants, half-open [from, to). */
export interface TimeOffRange {
  from: Date;
  to: Date;
}
/** Weekly rules that replace the base ones from a local day on (a schedule template applied from a date). */
export interface ScheduleVersionInput {
  /** YYYY-MM-DD, local to the time zone. */
  from: string;
  rules: readonly WeeklyRule[];
}
/** Bookable time outside the weekly rules: absolute instants, half-open [from, to), cut into slots of slotMinutes. */
export interface ExtraHoursRange {
  from: Date;
  to: Date;
  slotMinutes: number;
}
export interface GeneratedSlot {
  startsAt: Date;
  endsAt: Date;
  blocked: boolean;
}

/** Index + 1 = luxon's ISO weekday (1 = Monday … 7 = Sunday). */
const DAYS: readonly DayOfWeek[] = ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"];
const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** "HH:MM" → minutes after local midnight, 00:00 … 24:00. */
export function parseHHMM(value: string): number {
  const match = /^(\d{2}):([0-5]\d)$/.exec(value);
  const minutes = match ? Number(match[1]) * 60 + Number(match[2]) : NaN;
  if (!(minutes <= 24 * 60)) throw new Error(`Invalid time "${value}": expected "HH:MM" from 00:00 to 24:00`);
  return minutes;
}

interface ParsedRule {
  weekday: number;
  start: number;
  end: number;
  slotMinutes: number;
}

function parseRule(rule: WeeklyRule): ParsedRule {
  const weekday = DAYS.indexOf(rule.dayOfWeek) + 1;
  if (weekday === 0) throw new Error(`Invalid dayOfWeek "${String(rule.dayOfWeek)}"`);
  const { slotMinutes } = rule;
  if (!Number.isInteger(slotMinutes) || slotMinutes < 5 || slotMinutes > 480)
    throw new Error(`Invalid slotMinutes ${slotMinutes}: expected an integer from 5 to 480`);
  const start = parseHHMM(rule.startTime);
  const end = parseHHMM(rule.endTime);
  if (end <= start) throw new Error(`Invalid rule ${rule.dayOfWeek} ${rule.startTime}–${rule.endTime}: endTime must be after startTime`);
  return { weekday, start, end, slotMinutes };
}

/** The local calendar date of an instant in `zone`, as a zone-free (UTC midnight) date for plain day arithmetic. */
function localDate(instant: Date, zone: string): DateTime {
  const local = DateTime.fromJSDate(instant, { zone });
  return DateTime.utc(local.year, local.month, local.day);
}

/**
 * The first instant at which the wall clock in `zone` reads `localMs` (a wall-clock time written as if it were UTC), or
 * null if it never does (DST gap). luxon's DateTime alone is not enough: it silently moves a gap time forward, and
 * resolves an ambiguous time with the offset in force *now* (Date.now()), so the same input gives different answers in
 * summer and winter. Hence every candidate: the offsets in force before and after (`offsets`, as luxon's own
 * getPossibleOffsets takes them a day either side), each kept only if the wall clock at its instant really reads
 * `localMs`, the earlier of two winning (fall-back overlap). Plain arithmetic over the zone's cached formatter: one
 * offset lookup per slot on a day without a change, a few microseconds.
 */
function firstInstant(localMs: number, zone: IANAZone, offsets: readonly number[]): number | null {
  let first: number | null = null;
  for (const offset of offsets) {
    const instant = localMs - offset * MINUTE_MS;
    if (zone.offset(instant) === offset && (first === null || instant < first)) first = instant;
  }
  return first;
}

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The rules in force on a local day (YYYY-MM-DD): those of the latest version whose `from` is that day or earlier,
 * else the base rules. Versions need not be sorted.
 */
export function rulesInForce<R>(base: R, upcoming: readonly { from: string; rules: R }[], day: string): R {
  let best: { from: string; rules: R } | null = null;
  for (const version of upcoming) if (version.from <= day && (best === null || version.from > best.from)) best = version;
  return best ? best.rules : base;
}

function isValidDate(value: Date): boolean {
  return value instanceof Date && !Number.isNaN(value.getTime());
}

/** Slots whose start lies in [from, to), sorted by start, no duplicates. */
export function generateSlots(input: {
  timezone: string;
  rules: readonly WeeklyRule[];
  timeOff: readonly TimeOffRange[];
  from: Date;
  to: Date;
  /** Versions of the weekly rules that take over from a local day on (absent: `rules` every day). */
  upcoming?: readonly ScheduleVersionInput[];
  extraHours?: readonly ExtraHoursRange[];
}): GeneratedSlot[] {
  const { timezone, timeOff, from, to } = input;
  if (!isIanaTimeZone(timezone)) throw new Error(`Invalid IANA time zone "${timezone}"`);
  if (!isValidDate(from) || !isValidDate(to) || from.getTime() >= to.getTime())
    throw new Error("Invalid range: from and to must be valid dates with from before to");
  const base = input.rules.map(parseRule);
  const upcoming = (input.upcoming ?? []).map((version) => {
    if (!ISO_DAY.test(version.from)) throw new Error(`Invalid version day "${version.from}": expected YYYY-MM-DD`);
    return { from: version.from, rules: version.rules.map(parseRule) };
  });

  const zone = IANAZone.create(timezone);
  const slots = new Map<number, GeneratedSlot>();
  const lastDay = localDate(to, timezone).toMillis();
  for (let day = localDate(from, timezone); day.toMillis() <= lastDay; day = day.plus({ days: 1 })) {
    const midnight = day.toMillis();
    // The offsets a day before the day's first wall-clock minute and a day after its last (a DST change is months from
    // the next): one when the day has no change, both when it has.
    const before = zone.offset(midnight - DAY_MS);
    const after = zone.offset(midnight + 2 * DAY_MS);
    const offsets = before === after ? [before] : [before, after];
    const rules = upcoming.length ? rulesInForce(base, upcoming, day.toISODate()!) : base;
    for (const rule of rules) {
      if (rule.weekday !== day.weekday) continue;
      for (let minute = rule.start; minute + rule.slotMinutes <= rule.end; minute += rule.slotMinutes) {
        const start = firstInstant(midnight + minute * MINUTE_MS, zone, offsets);
        if (start === null) continue; // spring-forward gap
        if (start < from.getTime() || start >= to.getTime() || slots.has(start)) continue;
        const end = start + rule.slotMinutes * MINUTE_MS;
        const blocked = timeOff.some((off) => off.from.getTime() < end && off.to.getTime() > start);
        slots.set(start, { startsAt: new Date(start), endsAt: new Date(end), blocked });
      }
    }
  }
  const ruled = [...slots.values()];
  const extra: GeneratedSlot[] = [];
  for (const range of input.extraHours ?? []) {
    const { slotMinutes } = range;
    if (!isValidDate(range.from) || !isValidDate(range.to) || !Number.isInteger(slotMinutes) || slotMinutes < 5 || slotMinutes > 480)
      throw new Error("Invalid extra hours: valid dates and slotMinutes from 5 to 480");
    const step = slotMinutes * MINUTE_MS;
    for (let start = range.from.getTime(); start + step <= range.to.getTime(); start += step) {
      if (start < from.getTime() || start >= to.getTime() || slots.has(start)) continue;
      const end = start + step;
      const overlaps = (s: GeneratedSlot) => s.startsAt.getTime() < end && s.endsAt.getTime() > start;
      if (ruled.some(overlaps) || extra.some(overlaps)) continue;
      const blocked = timeOff.some((off) => off.from.getTime() < end && off.to.getTime() > start);
      const slot = { startsAt: new Date(start), endsAt: new Date(end), blocked };
      extra.push(slot);
      slots.set(start, slot);
    }
  }
  return [...slots.values()].sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
}
