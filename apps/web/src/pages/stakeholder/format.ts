/** How the dashboard writes its figures: an absent or withheld figure (null) is always "—", never 0 or blank. */
import { locale } from "../../lib/time";
import type { Granularity } from "../../generated/operations";

export const NONE = "—";

export interface MoneyValue {
  amountMinor: number;
  currency: string;
}

export function formatCount(n: number | null | undefined, language: string): string {
  return n === null || n === undefined ? NONE : new Intl.NumberFormat(locale(language)).format(n);
}

/** A rate of 0–1 as a percentage ("12.5 %" in the language's form). */
export function formatRate(rate: number | null | undefined, language: string): string {
  return rate === null || rate === undefined ? NONE : new Intl.NumberFormat(locale(language), { style: "percent", maximumFractionDigits: 1 }).format(rate);
}

export function formatDecimal(n: number | null | undefined, language: string, digits = 1): string {
  return n === null || n === undefined ? NONE : new Intl.NumberFormat(locale(language), { maximumFractionDigits: digits }).format(n);
}

/** Money in major units (for a chart's scale), or null. */
export function moneyAmount(money: MoneyValue | null | undefined, language: string): number | null {
  if (!money) return null;
  const digits = new Intl.NumberFormat(locale(language), { style: "currency", currency: money.currency }).resolvedOptions().maximumFractionDigits ?? 2;
  return money.amountMinor / 10 ** digits;
}

/**
 * A period's label by its first day: the day, the week's Monday ("30 Mar"), or the month ("Mar 2026"); `full` adds the
 * year to days and weeks (tables; the axes stay short).
 */
export function periodLabel(period: string, granularity: Granularity, language: string, full = false): string {
  const [y, m, d] = period.split("-").map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  const year = full ? { year: "numeric" as const } : {};
  if (granularity === "DAY")
    return new Intl.DateTimeFormat(locale(language), { weekday: "short", day: "numeric", month: "short", ...year, timeZone: "UTC" }).format(date);
  if (granularity === "WEEK") return new Intl.DateTimeFormat(locale(language), { day: "numeric", month: "short", ...year, timeZone: "UTC" }).format(date);
  return new Intl.DateTimeFormat(locale(language), { month: full ? "long" : "short", year: "numeric", timeZone: "UTC" }).format(date);
}

/** The short names of the ISO weekdays 1 (Monday) … 7 (Sunday) in the language. */
export function weekdayNames(language: string, style: "short" | "long" = "short"): string[] {
  // 2024-01-01 was a Monday.
  return Array.from({ length: 7 }, (_, i) =>
    new Intl.DateTimeFormat(locale(language), { weekday: style, timeZone: "UTC" }).format(new Date(Date.UTC(2024, 0, 1 + i))),
  );
}
