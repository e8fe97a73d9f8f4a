/**
 * KPIs as CSV (RFC 4180: CRLF line ends, quoting by csv-stringify) for stakeholders' spreadsheets: a header of
 * KpiPoint's field names, one row per period. Money in decimal amounts of the clinic's currency (its own column),
 * suppressed and absent figures empty. Cells a spreadsheet would run as a formula (= + - @, tab, CR first) are
 * prefixed with ' — negative amounts excepted, which are numbers, not text.
 */
import { stringify } from "csv-stringify/sync";
import type { Deps } from "./deps.js";
import { kpis, type KpiQuery } from "./kpis.js";
import type { Actor, KpiPoint } from "./types.js";

type Cell = string | number | boolean | null;

/** Columns of KpiPoint, in the schema's order; the distribution has one column per rating. */
const COLUMNS = {
  period: (p) => [["period", p.period]],
  suppressed: (p) => [["suppressed", p.suppressed]],
  patients: (p) => [["patients", p.patients]],
  appointmentsRequested: (p) => [["appointmentsRequested", p.appointmentsRequested]],
  appointmentsBooked: (p) => [["appointmentsBooked", p.appointmentsBooked]],
  cancelled: (p) => [["cancelled", p.cancelled]],
  noShows: (p) => [["noShows", p.noShows]],
  fulfilled: (p) => [["fulfilled", p.fulfilled]],
  noShowRate: (p) => [["noShowRate", p.noShowRate]],
  cancellationRate: (p) => [["cancellationRate", p.cancellationRate]],
  medianLeadTimeHours: (p) => [["medianLeadTimeHours", p.medianLeadTimeHours]],
  medianApprovalMinutes: (p) => [["medianApprovalMinutes", p.medianApprovalMinutes]],
  feedbackAverage: (p) => [["feedbackAverage", p.feedbackAverage]],
  feedbackCount: (p) => [["feedbackCount", p.feedbackCount]],
  feedbackDistribution: (p) => [1, 2, 3, 4, 5].map((rating) => [`feedbackDistribution${rating}`, p.feedbackDistribution?.[rating - 1] ?? null]),
  medianWaitMinutes: (p) => [["medianWaitMinutes", p.medianWaitMinutes]],
  medianExamTurnaroundHours: (p) => [["medianExamTurnaroundHours", p.medianExamTurnaroundHours]],
  medianReviewHours: (p) => [["medianReviewHours", p.medianReviewHours]],
  invoicedMinor: (p) => [["invoiced", p.invoicedMinor]],
  collectedMinor: (p) => [["collected", p.collectedMinor]],
  outstandingMinor: (p) => [["outstanding", p.outstandingMinor]],
  utilization: (p) => [["utilization", p.utilization]],
} satisfies { [K in keyof KpiPoint]-?: (point: KpiPoint) => [string, Cell][] } as Record<keyof KpiPoint, (point: KpiPoint) => [string, Cell][]>;

/** Money columns: minor units in the records, decimal amounts in the file. */
const MONEY = new Set(["invoiced", "collected", "outstanding"]);

/** Digits after the decimal point of `currency` (2 for EUR, 0 for JPY). */
export function minorDigits(currency: string): number {
  return new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

/** `minor` units as a decimal amount, exactly (no floating point): 123456 → "1234.56", -5 → "-0.05". */
export function decimalAmount(minor: number, digits: number): string {
  if (digits === 0) return String(minor);
  const units = String(Math.abs(minor)).padStart(digits + 1, "0");
  return `${minor < 0 ? "-" : ""}${units.slice(0, -digits)}.${units.slice(-digits)}`;
}

/** The CSV of KPI points (`currency`: the clinic's, for the money columns). */
export function kpiPointsCsv(points: readonly KpiPoint[], currency: string): string {
  const digits = minorDigits(currency);
  const cells = (point: KpiPoint): [string, Cell][] => [...Object.values(COLUMNS).flatMap((column) => column(point)), ["currency", currency]];
  const header = cells(points[0] ?? ({ feedbackDistribution: null } as KpiPoint)).map(([name]) => name);
  return stringify(
    points.map((point) => Object.fromEntries(cells(point))),
    {
      header: true,
      columns: header,
      record_delimiter: "windows",
      escape_formulas: true,
      cast: {
        boolean: (value) => (value ? "true" : "false"),
        // The cell stays a number for escape_formulas (a negative amount is not text to escape).
        number: (value, context) => (MONEY.has(String(context.column)) ? decimalAmount(value, digits) : String(value)),
      },
    },
  );
}

/** `kpis` as CSV: the same readers, ranges and figures. */
export async function kpisCsv(deps: Pick<Deps, "facts" | "rollups" | "settings">, actor: Actor, input: KpiQuery): Promise<string> {
  return kpiPointsCsv(await kpis(deps, actor, input), deps.settings.currency);
}
