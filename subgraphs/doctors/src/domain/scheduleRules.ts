/**
 * Weekly schedule templates: windows of bookable time per day of week, written "HH:MM" local to the
 * doctor's time zone, cut into slots of `slotMinutes`. Rules of one day may touch but not overlap,
 * and each window must hold a whole number of slots.
 */
import { badInput } from "@clinigraph/platform";
import { DAYS_OF_WEEK, type DayOfWeek, type ScheduleRule } from "./types.js";

export const MIN_SLOT_MINUTES = 5;
export const MAX_SLOT_MINUTES = 480;
export const MAX_RULES = 100;
const MINUTES_PER_DAY = 24 * 60;
const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/;

export interface ScheduleRuleInput {
  dayOfWeek: DayOfWeek;
  startTime: string;
  endTime: string;
  slotMinutes: number;
}

/** "09:30" → 570. "24:00" (end of day) only when `allowEndOfDay`. */
export function parseTime(value: string, field: string, allowEndOfDay = false): number {
  if (allowEndOfDay && value === "24:00") return MINUTES_PER_DAY;
  const match = HH_MM.exec(value);
  if (!match) throw badInput(`Times are written "HH:MM" (00:00 to ${allowEndOfDay ? "24:00" : "23:59"})`, field);
  return Number(match[1]) * 60 + Number(match[2]);
}

/** 570 → "09:30"; 1440 → "24:00". */
export function formatTime(minute: number): string {
  const hh = Math.floor(minute / 60)
    .toString()
    .padStart(2, "0");
  const mm = (minute % 60).toString().padStart(2, "0");
  return `${hh}:${mm}`;
}

const dayIndex = (day: DayOfWeek) => DAYS_OF_WEEK.indexOf(day);

/** Orders rules by day of week (Monday first), then start time. */
export const compareRules = (a: ScheduleRule, b: ScheduleRule) => dayIndex(a.dayOfWeek) - dayIndex(b.dayOfWeek) || a.startMinute - b.startMinute;

export function parseRule(input: ScheduleRuleInput, field: string): ScheduleRule {
  if (!DAYS_OF_WEEK.includes(input.dayOfWeek)) throw badInput("Unknown day of week", `${field}.dayOfWeek`);
  const startMinute = parseTime(input.startTime, `${field}.startTime`);
  const endMinute = parseTime(input.endTime, `${field}.endTime`, true);
  if (startMinute >= endMinute) throw badInput("The start time must be before the end time", `${field}.endTime`);
  const { slotMinutes } = input;
  if (!Number.isInteger(slotMinutes) || slotMinutes < MIN_SLOT_MINUTES || slotMinutes > MAX_SLOT_MINUTES) {
    throw badInput(`Slots last between ${MIN_SLOT_MINUTES} and ${MAX_SLOT_MINUTES} minutes`, `${field}.slotMinutes`);
  }
  if ((endMinute - startMinute) % slotMinutes !== 0) {
    throw badInput(`The window ${input.startTime}–${input.endTime} does not divide into whole ${slotMinutes}-minute slots`, `${field}.slotMinutes`);
  }
  return { dayOfWeek: input.dayOfWeek, startMinute, endMinute, slotMinutes };
}

/** Parses and checks a whole week; returns the rules sorted (Monday first, then by start time). */
export function parseWeeklySchedule(inputs: readonly ScheduleRuleInput[], field = "rules"): ScheduleRule[] {
  if (inputs.length > MAX_RULES) throw badInput(`A weekly schedule holds at most ${MAX_RULES} rules`, field);
  const rules = inputs.map((input, i) => ({ rule: parseRule(input, `${field}[${i}]`), index: i }));
  rules.sort((a, b) => compareRules(a.rule, b.rule));
  for (let i = 1; i < rules.length; i++) {
    const prev = rules[i - 1]!;
    const cur = rules[i]!;
    if (prev.rule.dayOfWeek === cur.rule.dayOfWeek && prev.rule.endMinute > cur.rule.startMinute) {
      const { dayOfWeek, startMinute } = cur.rule;
      throw badInput(
        `Rules overlap on ${dayOfWeek}: ${formatTime(prev.rule.startMinute)}–${formatTime(prev.rule.endMinute)} and ${formatTime(startMinute)}–${formatTime(cur.rule.endMinute)}`,
        `${field}[${cur.index}]`,
      );
    }
  }
  return rules.map((r) => r.rule);
}
