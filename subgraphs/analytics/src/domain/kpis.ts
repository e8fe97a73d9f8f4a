/**
 * Stakeholder KPIs (STAKEHOLDER, ADMIN): per day, ISO week or month of the visit day (clinic time zone), filtered by
 * specialty, doctor, service or location. Rates and medians are computed from the period's facts; a period whose
 * figures come from fewer than the minimum number of distinct patients shows none of them (suppressed), so no
 * figure points at a person. Definitions (README "Analytics"):
 * - requested: every appointment asked for; booked: every one that reached BOOKED, whatever happened later;
 * - noShowRate = noShows / (fulfilled + noShows); cancellationRate = cancelled / booked;
 * - medianLeadTimeHours: request → the visit's start, booked appointments; medianApprovalMinutes: request → the
 *   doctor's answer, requests that waited for one;
 * - feedback: the ratings (1–5) given on the period's visits;
 * - medianWaitMinutes: arrival at reception → the doctor starts; medianExamTurnaroundHours: ordered → performed;
 *   medianReviewHours: performed → reviewed by the ordering doctor;
 * - invoiced: issued invoices less credit notes; collected: money taken (desk, online, prepayments) less refunds;
 *   outstanding: what the period's open invoices still ask;
 * - utilization: booked minutes (appointments not called off, no-shows included) / minutes offered by the doctors'
 *   schedules less time off; null under a service filter or without offered time.
 */
import { badInput, forbidden, isUuid } from "@clinigraph/platform";
import type { Deps } from "./deps.js";
import { checkRange, periodsBetween } from "./periods.js";
import { countPeriods } from "./rollups.js";
import type { Actor, Granularity, KpiFilter, KpiPoint, PeriodCounts } from "./types.js";

const READERS = new Set(["STAKEHOLDER", "ADMIN"]);
const GRANULARITIES = new Set<Granularity>(["DAY", "WEEK", "MONTH"]);

export interface KpiQuery {
  from: string;
  to: string;
  granularity: Granularity;
  filter?: KpiFilter | null;
}

export function checkReader(actor: Actor): void {
  if (!READERS.has(actor.role)) throw forbidden("Analytics is for stakeholders and administrators");
}

/** Validates a KPI query (BAD_USER_INPUT) and returns its filter with blanks dropped. */
export function checkKpiQuery(input: KpiQuery): KpiFilter {
  if (!GRANULARITIES.has(input.granularity)) throw badInput("granularity must be DAY, WEEK or MONTH", "granularity");
  checkRange(input.from, input.to, input.granularity);
  const filter = input.filter ?? {};
  if (filter.doctorId != null && !isUuid(filter.doctorId)) throw badInput("doctorId must be an id", "filter.doctorId");
  if (filter.serviceId != null && !isUuid(filter.serviceId)) throw badInput("serviceId must be an id", "filter.serviceId");
  for (const key of ["specialty", "location"] as const) {
    const value = filter[key];
    if (value != null && (value.trim() === "" || value.length > 200)) throw badInput(`${key} must be 1 to 200 characters`, `filter.${key}`);
  }
  return filter;
}

const ratio = (part: number, whole: number) => (whole > 0 ? part / whole : null);

/** Drawn from some patients, but fewer than the minimum: none of its figures may be shown (an empty cell may). */
export const isSuppressed = (counts: { patients: number }, minCell: number) => counts.patients > 0 && counts.patients < minCell;

/** The figures as shown: every one of them null when the cell is suppressed. */
export function shown<T extends Record<string, unknown>>(figures: T, suppressed: boolean): { [K in keyof T]: T[K] | null } {
  return suppressed ? (Object.fromEntries(Object.keys(figures).map((key) => [key, null])) as { [K in keyof T]: null }) : figures;
}

/** The appointment figures every table shows (a period of kpis, a breakdown's row), rates worked out. */
export function appointmentFigures(
  counts: Pick<PeriodCounts, "patients" | "requested" | "booked" | "cancelled" | "noShows" | "fulfilled" | "feedbackCount" | "feedbackSum">,
) {
  return {
    patients: counts.patients,
    appointmentsRequested: counts.requested,
    appointmentsBooked: counts.booked,
    cancelled: counts.cancelled,
    noShows: counts.noShows,
    fulfilled: counts.fulfilled,
    noShowRate: ratio(counts.noShows, counts.fulfilled + counts.noShows),
    cancellationRate: ratio(counts.cancelled, counts.booked),
    feedbackAverage: ratio(counts.feedbackSum, counts.feedbackCount),
    feedbackCount: counts.feedbackCount,
  };
}

/** A period's counts as stakeholders see them: rates worked out, and nothing shown if too few patients are behind it. */
export function toPoint(counts: PeriodCounts, minCell: number): KpiPoint {
  const suppressed = isSuppressed(counts, minCell);
  return {
    period: counts.period,
    suppressed,
    ...shown(
      {
        ...appointmentFigures(counts),
        medianLeadTimeHours: counts.medianLeadTimeHours,
        medianApprovalMinutes: counts.medianApprovalMinutes,
        feedbackDistribution: [...counts.feedbackDistribution],
        medianWaitMinutes: counts.medianWaitMinutes,
        medianExamTurnaroundHours: counts.medianExamTurnaroundHours,
        medianReviewHours: counts.medianReviewHours,
        invoicedMinor: counts.invoicedMinor,
        collectedMinor: counts.collectedMinor,
        outstandingMinor: counts.outstandingMinor,
        utilization: counts.offeredMinutes === null ? null : ratio(counts.bookedMinutes, counts.offeredMinutes),
      },
      suppressed,
    ),
  };
}

export const emptyCounts = (period: string): PeriodCounts => ({
  period,
  patients: 0,
  requested: 0,
  booked: 0,
  cancelled: 0,
  noShows: 0,
  fulfilled: 0,
  medianLeadTimeHours: null,
  medianApprovalMinutes: null,
  feedbackCount: 0,
  feedbackSum: 0,
  feedbackDistribution: [0, 0, 0, 0, 0],
  medianWaitMinutes: null,
  medianExamTurnaroundHours: null,
  medianReviewHours: null,
  invoicedMinor: 0,
  collectedMinor: 0,
  outstandingMinor: 0,
  bookedMinutes: 0,
  offeredMinutes: 0,
});

/** The KPIs of every period of the range (periods without activity count zero). */
export async function kpis(deps: Pick<Deps, "facts" | "rollups" | "settings">, actor: Actor, input: KpiQuery): Promise<KpiPoint[]> {
  checkReader(actor);
  const filter = checkKpiQuery(input);
  const counted = await countPeriods(deps, input.from, input.to, input.granularity, filter);
  return periodsBetween(input.from, input.to, input.granularity).map((period) => toPoint(counted.get(period) ?? emptyCounts(period), deps.settings.minCell));
}
