/**
 * The dashboard's period: presets relative to the clinic's today, checks before asking the API, and the CSV's file
 * name. Days are `YYYY-MM-DD` of the clinic's zone (the API counts every figure on the visit's day there).
 */
import { addDays, mondayOf } from "../../lib/time";
import type { Granularity, KpiFilter } from "../../generated/operations";

export const PRESETS = ["last30Days", "last12Weeks", "last12Months"] as const;
export type Preset = (typeof PRESETS)[number];
export const GRANULARITIES: readonly Granularity[] = ["DAY", "WEEK", "MONTH"];

export interface Period {
  from: string;
  to: string;
  granularity: Granularity;
}

/** The first day of the month `n` months before (negative) or after `day`'s month. */
export function monthStart(day: string, n = 0): string {
  const [y, m] = day.split("-").map(Number) as [number, number];
  return new Date(Date.UTC(y, m - 1 + n, 1)).toISOString().slice(0, 10);
}

/**
 * A preset's days, today included, with the granularity that suits it: 30 days by day; the 12 ISO weeks ending with
 * the current one (from a Monday) by week; the 12 months ending with the current one (from a 1st) by month.
 */
export function presetPeriod(preset: Preset, today: string): Period {
  switch (preset) {
    case "last30Days":
      return { from: addDays(today, -29), to: today, granularity: "DAY" };
    case "last12Weeks":
      return { from: addDays(mondayOf(today), -7 * 11), to: today, granularity: "WEEK" };
    case "last12Months":
      return { from: monthStart(today, -11), to: today, granularity: "MONTH" };
  }
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Why a period cannot be asked for (a key of the stakeholder texts), or null when it can (the API checks the rest). */
export function periodProblem(period: Pick<Period, "from" | "to">): "period.missing" | "period.fromAfterTo" | null {
  if (!DAY.test(period.from) || !DAY.test(period.to)) return "period.missing";
  if (period.from > period.to) return "period.fromAfterTo";
  return null;
}

/** The CSV's file name, naming the period: `clinigraph-kpis_2026-01-01_2026-03-31_week.csv`. */
export function csvFileName(period: Period): string {
  return `clinigraph-kpis_${period.from}_${period.to}_${period.granularity.toLowerCase()}.csv`;
}

/** What the dashboard shows: a preset (its days follow the clinic's today) or fixed days, and the filters ("" = any). */
export interface Selection {
  preset: Preset | null;
  from: string;
  to: string;
  granularity: Granularity;
  specialty: string;
  doctorId: string;
  serviceId: string;
  location: string;
}

/** The selection's days and granularity on `today`. */
export function selectionPeriod(selection: Selection, today: string): Period {
  if (!selection.preset) return { from: selection.from, to: selection.to, granularity: selection.granularity };
  return { ...presetPeriod(selection.preset, today), granularity: selection.granularity };
}

/** The API's filter: only the conditions chosen; null without any. */
export function kpiFilter(selection: Selection): KpiFilter | null {
  const filter: KpiFilter = {};
  if (selection.specialty) filter.specialty = selection.specialty;
  if (selection.doctorId) filter.doctorId = selection.doctorId;
  if (selection.serviceId) filter.serviceId = selection.serviceId;
  if (selection.location.trim()) filter.location = selection.location.trim();
  return Object.keys(filter).length ? filter : null;
}
