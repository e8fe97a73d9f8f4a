/**
 * Schedule templates: named weekly windows (like setWeeklySchedule's rules) with breaks cut out of them. A rule gives
 * its end as `endTime`, or as `slotCount` slots of `slotMinutes` from its start ("Tuesdays: 10 slots of 30 minutes");
 * with `slotCount`, breaks inside the window push its end out so that the count is what remains. A rule without
 * `slotMinutes` takes the template's. Windows of one day may touch but not overlap (before breaks are cut), and every
 * piece a break leaves must hold a whole number of slots and at least one.
 */
import { badInput } from "@clinigraph/platform";
import { compareRules, formatTime, MAX_RULES, MAX_SLOT_MINUTES, MIN_SLOT_MINUTES, parseTime } from "./scheduleRules.js";
import { requiredText } from "./text.js";
import { DAYS_OF_WEEK, type DayOfWeek, type ScheduleBreak, type ScheduleRule } from "./types.js";

export const MAX_BREAKS = 50;
export const MAX_SLOT_COUNT = 288;
export const TEMPLATE_NAME_MAX = 100;
const MINUTES_PER_DAY = 24 * 60;

export interface ScheduleTemplateRuleInput {
  dayOfWeek: DayOfWeek;
  startTime: string;
  endTime?: string | null;
  slotCount?: number | null;
  slotMinutes?: number | null;
}

export interface ScheduleBreakInput {
  dayOfWeek?: DayOfWeek | null;
  startTime: string;
  endTime: string;
}

export interface ScheduleTemplateInput {
  name: string;
  rules: readonly ScheduleTemplateRuleInput[];
  breaks?: readonly ScheduleBreakInput[] | null;
  slotMinutes?: number | null;
}

export interface ValidTemplate {
  name: string;
  rules: ScheduleRule[];
  breaks: ScheduleBreak[];
  slotMinutes: number | null;
}

function checkSlotMinutes(value: number, field: string): number {
  if (!Number.isInteger(value) || value < MIN_SLOT_MINUTES || value > MAX_SLOT_MINUTES) {
    throw badInput(`Slots last between ${MIN_SLOT_MINUTES} and ${MAX_SLOT_MINUTES} minutes`, field);
  }
  return value;
}

const appliesTo = (b: ScheduleBreak, day: DayOfWeek) => b.dayOfWeek === null || b.dayOfWeek === day;

function parseBreak(input: ScheduleBreakInput, field: string): ScheduleBreak {
  const dayOfWeek = input.dayOfWeek ?? null;
  if (dayOfWeek !== null && !DAYS_OF_WEEK.includes(dayOfWeek)) throw badInput("Unknown day of week", `${field}.dayOfWeek`);
  const startMinute = parseTime(input.startTime, `${field}.startTime`);
  const endMinute = parseTime(input.endTime, `${field}.endTime`, true);
  if (startMinute >= endMinute) throw badInput("A break must end after it starts", `${field}.endTime`);
  return { dayOfWeek, startMinute, endMinute };
}

/** The end of `count` slots from `start` that no break interrupts (a slot that would run into a break starts after it). */
function endOfSlots(start: number, count: number, slotMinutes: number, breaks: readonly ScheduleBreak[], field: string): number {
  let cursor = start;
  for (let made = 0; made < count;) {
    const inTheWay = breaks.find((b) => b.startMinute < cursor + slotMinutes && b.endMinute > cursor);
    if (inTheWay) cursor = inTheWay.endMinute;
    else {
      cursor += slotMinutes;
      made++;
    }
    if (cursor > MINUTES_PER_DAY) throw badInput(`${count} slots of ${slotMinutes} minutes from ${formatTime(start)} do not fit in the day`, field);
  }
  return cursor;
}

function parseTemplateRule(input: ScheduleTemplateRuleInput, defaultSlot: number | null, breaks: readonly ScheduleBreak[], field: string): ScheduleRule {
  if (!DAYS_OF_WEEK.includes(input.dayOfWeek)) throw badInput("Unknown day of week", `${field}.dayOfWeek`);
  const slotGiven = input.slotMinutes ?? defaultSlot;
  if (slotGiven === null) throw badInput("Give slotMinutes on the rule or on the template", `${field}.slotMinutes`);
  const slotMinutes = checkSlotMinutes(slotGiven, `${field}.slotMinutes`);
  const startMinute = parseTime(input.startTime, `${field}.startTime`);
  const hasEnd = input.endTime !== undefined && input.endTime !== null;
  const hasCount = input.slotCount !== undefined && input.slotCount !== null;
  if (hasEnd === hasCount) throw badInput("Give either endTime or slotCount", `${field}.endTime`);
  let endMinute: number;
  if (hasCount) {
    const count = input.slotCount!;
    if (!Number.isInteger(count) || count < 1 || count > MAX_SLOT_COUNT) throw badInput(`slotCount is from 1 to ${MAX_SLOT_COUNT}`, `${field}.slotCount`);
    const sameDay = breaks.filter((b) => appliesTo(b, input.dayOfWeek)).sort((a, b) => a.startMinute - b.startMinute);
    endMinute = endOfSlots(startMinute, count, slotMinutes, sameDay, `${field}.slotCount`);
  } else {
    endMinute = parseTime(input.endTime!, `${field}.endTime`, true);
    if (startMinute >= endMinute) throw badInput("The start time must be before the end time", `${field}.endTime`);
  }
  return { dayOfWeek: input.dayOfWeek, startMinute, endMinute, slotMinutes };
}

/** The pieces of one window that the breaks leave, in order. */
function cut(rule: ScheduleRule, breaks: readonly ScheduleBreak[]): ScheduleRule[] {
  let pieces: ScheduleRule[] = [rule];
  for (const b of breaks) {
    if (!appliesTo(b, rule.dayOfWeek)) continue;
    pieces = pieces.flatMap((piece) => {
      if (b.endMinute <= piece.startMinute || b.startMinute >= piece.endMinute) return [piece];
      const left = { ...piece, endMinute: b.startMinute };
      const right = { ...piece, startMinute: b.endMinute };
      return [left, right].filter((p) => p.startMinute < p.endMinute);
    });
  }
  return pieces;
}

/**
 * The weekly rules a doctor gets from the template: each window with the breaks cut out, sorted (Monday first).
 * Throws BAD_USER_INPUT (naming the rule) when a piece is not a whole number of slots or a break leaves nothing.
 */
export function effectiveRules(rules: readonly ScheduleRule[], breaks: readonly ScheduleBreak[], field = "input.rules"): ScheduleRule[] {
  const result: ScheduleRule[] = [];
  rules.forEach((rule, i) => {
    const pieces = cut(rule, breaks);
    if (pieces.length === 0)
      throw badInput(`The breaks leave nothing of ${rule.dayOfWeek} ${formatTime(rule.startMinute)}–${formatTime(rule.endMinute)}`, `${field}[${i}]`);
    for (const piece of pieces) {
      if ((piece.endMinute - piece.startMinute) % piece.slotMinutes !== 0) {
        throw badInput(
          `After the breaks, ${piece.dayOfWeek} ${formatTime(piece.startMinute)}–${formatTime(piece.endMinute)} does not divide into whole ${piece.slotMinutes}-minute slots`,
          `${field}[${i}]`,
        );
      }
      result.push(piece);
    }
  });
  return result.sort(compareRules);
}

/** Validates a template's input; its rules sorted, breaks sorted, and the rules checked against the breaks. */
export function parseTemplate(input: ScheduleTemplateInput): ValidTemplate {
  const name = requiredText(input.name, "input.name", TEMPLATE_NAME_MAX);
  const slotMinutes = input.slotMinutes === undefined || input.slotMinutes === null ? null : checkSlotMinutes(input.slotMinutes, "input.slotMinutes");
  const breakInputs = input.breaks ?? [];
  if (breakInputs.length > MAX_BREAKS) throw badInput(`A template holds at most ${MAX_BREAKS} breaks`, "input.breaks");
  const breaks = breakInputs.map((b, i) => parseBreak(b, `input.breaks[${i}]`));
  breaks.sort((a, b) => (a.dayOfWeek ?? "").localeCompare(b.dayOfWeek ?? "") || a.startMinute - b.startMinute);
  if (input.rules.length > MAX_RULES) throw badInput(`A template holds at most ${MAX_RULES} rules`, "input.rules");
  const parsed = input.rules.map((rule, i) => ({ rule: parseTemplateRule(rule, slotMinutes, breaks, `input.rules[${i}]`), index: i }));
  // Checked in the caller's order, so that an error names the rule as it was given.
  effectiveRules(
    parsed.map((p) => p.rule),
    breaks,
  );
  parsed.sort((a, b) => compareRules(a.rule, b.rule));
  for (let i = 1; i < parsed.length; i++) {
    const prev = parsed[i - 1]!.rule;
    const cur = parsed[i]!.rule;
    if (prev.dayOfWeek === cur.dayOfWeek && prev.endMinute > cur.startMinute) {
      throw badInput(
        `Rules overlap on ${cur.dayOfWeek}: ${formatTime(prev.startMinute)}–${formatTime(prev.endMinute)} and ${formatTime(cur.startMinute)}–${formatTime(cur.endMinute)}`,
        `input.rules[${parsed[i]!.index}]`,
      );
    }
  }
  return { name, rules: parsed.map((p) => p.rule), breaks, slotMinutes };
}
