/**
 * Breakdowns of a range for stakeholders' charts (STAKEHOLDER, ADMIN): per doctor, specialty or service, and the
 * hour-of-week load. Each row's figures are those `kpis` gives for the whole range with the row's doctor, specialty
 * or service added to the filter (README "Analytics"); facts that name none (an imported visit names no doctor) are
 * in no row. A row drawn from fewer than the minimum number of distinct patients shows none of its figures.
 */
import { badInput } from "@clinigraph/platform";
import type { BreakdownFigures, DoctorBreakdown, GroupCounts, LoadCell, ServiceBreakdown, SpecialtyBreakdown } from "./breakdownTypes.js";
import type { Deps } from "./deps.js";
import { appointmentFigures, checkKpiQuery, checkReader, isSuppressed, shown } from "./kpis.js";
import { MAX_RANGE_DAYS } from "./periods.js";
import type { Actor, KpiFilter } from "./types.js";

export interface BreakdownQuery {
  from: string;
  to: string;
  filter?: KpiFilter | null;
}

/** topServices' page: 10 unless asked, at most 100. */
export const TOP_SERVICES = { default: 10, max: 100 } as const;

type BreakdownDeps = Pick<Deps, "breakdowns" | "settings">;

const DAY_MS = 86_400_000;
const isDay = (day: string) => /^\d{4}-\d{2}-\d{2}$/.test(day) && !Number.isNaN(Date.parse(`${day}T00:00:00Z`));

/**
 * Validates a breakdown's range and filter as kpis' (BAD_USER_INPUT), at most 10 years long (as by week or month: a
 * breakdown reads the range's facts once), and returns the filter with blanks dropped.
 */
export function checkBreakdownQuery(input: BreakdownQuery): KpiFilter {
  if (isDay(input.from) && isDay(input.to)) {
    const days = (Date.parse(`${input.to}T00:00:00Z`) - Date.parse(`${input.from}T00:00:00Z`)) / DAY_MS + 1;
    if (days > MAX_RANGE_DAYS.MONTH) throw badInput("A range spans at most 10 years", "to");
  }
  return checkKpiQuery({ from: input.from, to: input.to, granularity: "MONTH", filter: input.filter });
}

/** A row's counts as stakeholders see them: rates worked out, and nothing shown if too few patients are behind it. */
export function toFigures(counts: GroupCounts, minCell: number): BreakdownFigures {
  const suppressed = isSuppressed(counts, minCell);
  return {
    suppressed,
    ...shown(
      {
        ...appointmentFigures(counts),
        medianWaitMinutes: counts.medianWaitMinutes,
        invoicedMinor: counts.invoicedMinor,
        collectedMinor: counts.collectedMinor,
      },
      suppressed,
    ),
  };
}

/** Every doctor with facts in the range (by id). */
export async function kpisByDoctor(deps: BreakdownDeps, actor: Actor, input: BreakdownQuery): Promise<DoctorBreakdown[]> {
  checkReader(actor);
  const filter = checkBreakdownQuery(input);
  const rows = await deps.breakdowns.groupCounts("DOCTOR", input.from, input.to, filter);
  return rows.map((row) => ({ doctorId: row.key, specialtyCode: row.specialtyCode, location: row.location, ...toFigures(row, deps.settings.minCell) }));
}

/** Every specialty with facts in the range (by code). */
export async function kpisBySpecialty(deps: BreakdownDeps, actor: Actor, input: BreakdownQuery): Promise<SpecialtyBreakdown[]> {
  checkReader(actor);
  const filter = checkBreakdownQuery(input);
  const rows = await deps.breakdowns.groupCounts("SPECIALTY", input.from, input.to, filter);
  return rows.map((row) => ({ specialtyCode: row.key, ...toFigures(row, deps.settings.minCell) }));
}

/**
 * The `first` services with the most booked appointments in the range (ties: by code, then id). Suppressed rows come
 * after every shown one, so their place in the order says nothing about their figures.
 */
export async function topServices(deps: BreakdownDeps, actor: Actor, input: BreakdownQuery & { first?: number | null }): Promise<ServiceBreakdown[]> {
  checkReader(actor);
  const first = input.first ?? TOP_SERVICES.default;
  if (!Number.isInteger(first) || first < 1 || first > TOP_SERVICES.max) throw badInput(`first must be 1 to ${TOP_SERVICES.max}`, "first");
  const filter = checkBreakdownQuery(input);
  const rows = await deps.breakdowns.groupCounts("SERVICE", input.from, input.to, filter);
  const minCell = deps.settings.minCell;
  const byCode = (a: GroupCounts, b: GroupCounts) => (a.serviceCode ?? "").localeCompare(b.serviceCode ?? "") || a.key.localeCompare(b.key);
  const shown = rows.filter((row) => !isSuppressed(row, minCell)).sort((a, b) => b.booked - a.booked || byCode(a, b));
  const suppressed = rows.filter((row) => isSuppressed(row, minCell)).sort(byCode);
  return [...shown, ...suppressed].slice(0, first).map((row) => {
    const figures = toFigures(row, minCell);
    return {
      serviceId: row.key,
      serviceCode: row.serviceCode,
      suppressed: figures.suppressed,
      patients: figures.patients,
      appointmentsBooked: figures.appointmentsBooked,
      fulfilled: figures.fulfilled,
      noShows: figures.noShows,
      invoicedMinor: figures.invoicedMinor,
    };
  });
}

/** The 7 × 24 cells of the week (Monday 00:00 first), each with the booked appointments starting in it. */
export async function load(deps: BreakdownDeps, actor: Actor, input: BreakdownQuery): Promise<LoadCell[]> {
  checkReader(actor);
  const filter = checkBreakdownQuery(input);
  const counted = new Map(
    (await deps.breakdowns.loadCounts(input.from, input.to, filter, deps.settings.timezone)).map((cell) => [cell.weekday * 24 + cell.hour, cell]),
  );
  const cells: LoadCell[] = [];
  for (let weekday = 1; weekday <= 7; weekday++)
    for (let hour = 0; hour < 24; hour++) {
      const cell = counted.get(weekday * 24 + hour);
      const suppressed = cell !== undefined && isSuppressed(cell, deps.settings.minCell);
      cells.push({ weekday, hour, suppressed, appointmentsBooked: suppressed ? null : (cell?.booked ?? 0) });
    }
  return cells;
}
