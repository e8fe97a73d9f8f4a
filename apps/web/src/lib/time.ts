/**
 * Clinic time. Every time a user reads is shown in the zone of the doctor or clinic it belongs to (named beside it),
 * never silently in the browser's own. Days are `YYYY-MM-DD` strings of that zone; instants are ISO strings (UTC), as
 * the API sends them. Zone arithmetic (DST included) is @date-fns/tz's TZDate, built on the browser's Intl data.
 */
import { TZDate } from "@date-fns/tz";

const pad = (n: number) => String(n).padStart(2, "0");

/** The formatting locale of a UI language: English reads as international (en-GB: 24-hour clock, day before month). */
export function locale(language: string): string {
  return language === "en" ? "en-GB" : language;
}

/** The zone's calendar day of an instant. */
export function dayIn(instant: string | Date, tz: string): string {
  const d = new TZDate(new Date(instant).getTime(), tz);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** The instant a local day begins in the zone (midnight, or the first hour that exists on a DST day). */
export function startOfDay(day: string, tz: string): Date {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  return new Date(new TZDate(y, m - 1, d, 0, 0, 0, tz).getTime());
}

/** `day` plus `n` calendar days (plain date arithmetic, independent of zones). */
export function addDays(day: string, n: number): string {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d + n));
  return date.toISOString().slice(0, 10);
}

/** The Monday of the week holding `day`. */
export function mondayOf(day: string): string {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  const weekday = (new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7; // Monday 0
  return addDays(day, -weekday);
}

/** The 7 days of the week from `monday`. */
export function weekDays(monday: string): string[] {
  return Array.from({ length: 7 }, (_, i) => addDays(monday, i));
}

/** The instants bounding local days `from`..`to` (both included) in the zone: [start of from, start of to + 1). */
export function daysRange(from: string, to: string, tz: string): { from: string; to: string } {
  return { from: startOfDay(from, tz).toISOString(), to: startOfDay(addDays(to, 1), tz).toISOString() };
}

/** "14:30" (or the language's own form) in the zone. */
export function formatTime(instant: string | Date, tz: string, language: string): string {
  return new Intl.DateTimeFormat(locale(language), { hour: "2-digit", minute: "2-digit", timeZone: tz }).format(new Date(instant));
}

/** "Mon 30 Mar" style label of a day (a day string, read as that calendar day). */
export function formatDay(day: string, language: string, style: "short" | "long" = "short"): string {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  return new Intl.DateTimeFormat(locale(language), {
    weekday: style,
    day: "numeric",
    month: style === "short" ? "short" : "long",
    ...(style === "long" ? { year: "numeric" } : {}),
    timeZone: "UTC",
  }).format(new Date(Date.UTC(y, m - 1, d)));
}

/** Date and time in the zone, with the zone's short name: "Mon, 30 Mar 2026, 09:00 CEST". */
export function formatDateTime(instant: string | Date, tz: string, language: string): string {
  return new Intl.DateTimeFormat(locale(language), {
    weekday: "short",
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    timeZone: tz,
    timeZoneName: "short",
  }).format(new Date(instant));
}

/** The zone's name for display: "Europe/Berlin (CEST)" at that instant. */
export function zoneLabel(tz: string, at: string | Date, language: string): string {
  const short = new Intl.DateTimeFormat(locale(language), { timeZone: tz, timeZoneName: "short" })
    .formatToParts(new Date(at))
    .find((p) => p.type === "timeZoneName")?.value;
  return short && short !== tz ? `${tz} (${short})` : tz;
}

/** Today in the zone. */
export function today(tz: string, now: Date = new Date()): string {
  return dayIn(now, tz);
}

/** The browser's own zone. */
export function browserZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** Money in minor units, in the language's form. */
export function formatMoney(money: { amountMinor: number; currency: string } | null | undefined, language: string): string {
  if (!money) return "—";
  const digits = new Intl.NumberFormat(locale(language), { style: "currency", currency: money.currency }).resolvedOptions().maximumFractionDigits ?? 2;
  return new Intl.NumberFormat(locale(language), { style: "currency", currency: money.currency }).format(money.amountMinor / 10 ** digits);
}
