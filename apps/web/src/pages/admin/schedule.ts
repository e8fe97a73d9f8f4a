/**
 * A doctor's weekly schedule as an editable table: rows of day, start, end (HH:MM local to the doctor's zone, 24:00 the
 * end of the day) and slot length. The rules are the API's (setWeeklySchedule): start before end, slots of 5 to 480
 * minutes filling the window exactly, windows of one day touching but not overlapping, at most 100 rules. Checked
 * here first so the admin sees every problem at once, on its row.
 */
import type { DayOfWeek, ScheduleRuleInput } from "../../generated/operations";

export const DAYS: readonly DayOfWeek[] = ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"];
export const MIN_SLOT_MINUTES = 5;
export const MAX_SLOT_MINUTES = 480;
export const MAX_RULES = 100;

export interface RuleRow {
  /** Stable key of the row while it is edited. */
  key: string;
  dayOfWeek: DayOfWeek;
  startTime: string;
  endTime: string;
  /** As typed. */
  slotMinutes: string;
}

export type RuleField = "startTime" | "endTime" | "slotMinutes";
/** time: not HH:MM; order: start not before end; slot: length out of range; divide: no whole number of slots; overlap: with another window of the day. */
export type RuleProblem = "time" | "order" | "slot" | "divide" | "overlap";
export interface RowError {
  key: string;
  field: RuleField;
  problem: RuleProblem;
  /** overlap: the other window, "09:00–12:00". */
  other?: string;
}

const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** "09:30" → 570; "24:00" → 1440 only for an end; anything else → null. A single-digit hour ("9:30") is accepted. */
export function parseTime(value: string, end = false): number | null {
  const v = normalizeTime(value);
  if (end && v === "24:00") return 1440;
  const match = HH_MM.exec(v);
  return match ? Number(match[1]) * 60 + Number(match[2]) : null;
}

/** "9:30" → "09:30", " 8.00 " → "08:00" (what the API expects); other text is returned trimmed. */
export function normalizeTime(value: string): string {
  const match = /^(\d{1,2})[:.h](\d{2})$/.exec(value.trim());
  return match ? `${match[1]!.padStart(2, "0")}:${match[2]}` : value.trim();
}

let counter = 0;
export const newKey = () => `rule-${++counter}`;

export function rowsFromRules(rules: readonly { dayOfWeek: DayOfWeek; startTime: string; endTime: string; slotMinutes: number }[]): RuleRow[] {
  return rules.map((r) => ({ key: newKey(), dayOfWeek: r.dayOfWeek, startTime: r.startTime, endTime: r.endTime, slotMinutes: String(r.slotMinutes) }));
}

/** A new row: the day after the last row's, with its hours (Monday 09:00–17:00, 30 minutes for the first). */
export function nextRow(rows: readonly RuleRow[]): RuleRow {
  const last = rows[rows.length - 1];
  if (!last) return { key: newKey(), dayOfWeek: "MONDAY", startTime: "09:00", endTime: "17:00", slotMinutes: "30" };
  const day = DAYS[(DAYS.indexOf(last.dayOfWeek) + 1) % DAYS.length]!;
  return { ...last, key: newKey(), dayOfWeek: day };
}

/** Every problem of the table (empty: it can be saved). */
export function validateRows(rows: readonly RuleRow[]): RowError[] {
  const errors: RowError[] = [];
  const windows: { key: string; day: DayOfWeek; start: number; end: number; text: string }[] = [];
  for (const row of rows) {
    const start = parseTime(row.startTime);
    const end = parseTime(row.endTime, true);
    if (start === null) errors.push({ key: row.key, field: "startTime", problem: "time" });
    if (end === null) errors.push({ key: row.key, field: "endTime", problem: "time" });
    const orderOk = start !== null && end !== null && start < end;
    if (start !== null && end !== null && !orderOk) errors.push({ key: row.key, field: "endTime", problem: "order" });
    const slot = /^\d+$/.test(row.slotMinutes.trim()) ? Number(row.slotMinutes.trim()) : NaN;
    if (!(slot >= MIN_SLOT_MINUTES && slot <= MAX_SLOT_MINUTES)) errors.push({ key: row.key, field: "slotMinutes", problem: "slot" });
    else if (orderOk && (end! - start!) % slot !== 0) errors.push({ key: row.key, field: "slotMinutes", problem: "divide" });
    if (orderOk)
      windows.push({ key: row.key, day: row.dayOfWeek, start: start!, end: end!, text: `${normalizeTime(row.startTime)}–${normalizeTime(row.endTime)}` });
  }
  windows.sort((a, b) => DAYS.indexOf(a.day) - DAYS.indexOf(b.day) || a.start - b.start);
  for (let i = 1; i < windows.length; i++) {
    const prev = windows[i - 1]!;
    const cur = windows[i]!;
    if (prev.day === cur.day && prev.end > cur.start) errors.push({ key: cur.key, field: "startTime", problem: "overlap", other: prev.text });
  }
  return errors;
}

/** The rows as the API takes them, Monday first, then by start time. Call after `validateRows` found nothing. */
export function toRuleInputs(rows: readonly RuleRow[]): ScheduleRuleInput[] {
  return rows
    .map((r) => ({
      dayOfWeek: r.dayOfWeek,
      startTime: normalizeTime(r.startTime),
      endTime: normalizeTime(r.endTime),
      slotMinutes: Number(r.slotMinutes.trim()),
    }))
    .sort((a, b) => DAYS.indexOf(a.dayOfWeek) - DAYS.indexOf(b.dayOfWeek) || (parseTime(a.startTime) ?? 0) - (parseTime(b.startTime) ?? 0));
}

/** How many slots a valid row makes (null while it is not valid). */
export function slotCount(row: RuleRow): number | null {
  const start = parseTime(row.startTime);
  const end = parseTime(row.endTime, true);
  const slot = Number(row.slotMinutes);
  if (start === null || end === null || start >= end || !Number.isInteger(slot) || slot < MIN_SLOT_MINUTES || slot > MAX_SLOT_MINUTES) return null;
  const length = end - start;
  return length % slot === 0 ? length / slot : null;
}
