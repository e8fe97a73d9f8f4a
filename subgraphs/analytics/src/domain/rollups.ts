/**
 * Rollups: the figures of closed periods (days, ISO weeks and months that ended before today in the clinic's time
 * zone), counted ahead for every combination of the filter dimensions, so that kpis over a long range reads one row
 * per period instead of every fact. They are exact, not estimates: a rollup holds what the facts gave when it was
 * computed, and kpis uses it only while no fact of its days has changed since; any other period (today, the future,
 * a period with late events, one not rolled up yet) is counted from the facts.
 *
 * The job (`rollUpChanges`, every few minutes on every instance; one runs at a time) rolls up the closed periods of
 * the days whose facts changed, and the periods that closed lately; `rollUpRange` (`pnpm analytics:rollup`) rolls up
 * a range whatever changed, for a backfill. Both are idempotent: running them again stores the same figures.
 */
import { dayIn } from "@clinigraph/platform";
import { setTimeout as sleep } from "node:timers/promises";
import type { Deps } from "./deps.js";
import { addDays, consecutiveRuns, periodEnd, periodStart, periodsBetween } from "./periods.js";
import type { Granularity, KpiFilter, PeriodCounts } from "./types.js";
import type { RollupWork } from "./ports.js";

export const GRANULARITIES: readonly Granularity[] = ["DAY", "WEEK", "MONTH"];
/** Change records of at most this many days are rolled up in one transaction. */
const DAYS_PER_ROUND = 31;
/** Periods that closed within this many days are rolled up if they have no rollup yet (whatever changed). */
const LATELY_CLOSED_DAYS = 62;

/**
 * The figures of every period of [from, to] that has activity, by first day: rolled-up periods lying wholly inside
 * the range from their rollup, the others (and the range's clipped first and last periods) from the facts.
 */
export async function countPeriods(
  deps: Pick<Deps, "facts" | "rollups">,
  from: string,
  to: string,
  granularity: Granularity,
  filter: KpiFilter,
): Promise<Map<string, PeriodCounts>> {
  const periods = periodsBetween(from, to, granularity);
  const whole = periods.filter((p) => p >= from && periodEnd(p, granularity) <= to).map((start) => ({ start, end: periodEnd(start, granularity) }));
  const rolledUp = whole.length > 0 ? await deps.rollups.read(granularity, whole, filter) : new Map<string, PeriodCounts | null>();
  const counted = new Map<string, PeriodCounts>();
  for (const [period, counts] of rolledUp) if (counts) counted.set(period, counts);
  const runs = consecutiveRuns(
    periods.filter((p) => !rolledUp.has(p)),
    granularity,
  );
  const live = await Promise.all(
    runs.map(([first, last]) =>
      deps.facts.periodCounts(first < from ? from : first, periodEnd(last, granularity) > to ? to : periodEnd(last, granularity), granularity, filter),
    ),
  );
  for (const counts of live.flat()) counted.set(counts.period, counts);
  return counted;
}

export interface RollupReport {
  /** Periods rolled up, per granularity. */
  periods: Record<Granularity, number>;
  /** Cells stored. */
  cells: number;
  /** Change records rolled up. */
  changes: number;
}

/** A report, and the distinct periods behind its counts (a week spanning two months of a backfill counts once). */
function newReport() {
  const seen = { DAY: new Set<string>(), WEEK: new Set<string>(), MONTH: new Set<string>() };
  const report: RollupReport = { periods: { DAY: 0, WEEK: 0, MONTH: 0 }, cells: 0, changes: 0 };
  return { report, seen };
}

/** The closed periods (ending before `today`) of each granularity that hold one of the days. */
function closedPeriodsOf(days: Iterable<string>, today: string): Record<Granularity, Set<string>> {
  const periods = { DAY: new Set<string>(), WEEK: new Set<string>(), MONTH: new Set<string>() };
  for (const day of days)
    for (const granularity of GRANULARITIES) {
      const start = periodStart(day, granularity);
      if (periodEnd(start, granularity) < today) periods[granularity].add(start);
    }
  return periods;
}

async function store(work: RollupWork, periods: Record<Granularity, Set<string>>, { report, seen }: ReturnType<typeof newReport>) {
  for (const granularity of GRANULARITIES) {
    const sorted = [...periods[granularity]].sort();
    if (sorted.length === 0) continue;
    report.cells += await work.store(granularity, sorted);
    for (const period of sorted) seen[granularity].add(period);
    report.periods[granularity] = seen[granularity].size;
  }
}

/**
 * Rolls up the closed periods of every day whose facts changed, and the periods that closed lately without a rollup.
 * Null when another process is rolling up (it will do the work).
 */
export async function rollUpChanges(deps: Pick<Deps, "rollups" | "settings" | "clock">): Promise<RollupReport | null> {
  const today = dayIn(deps.clock(), deps.settings.timezone);
  const progress = newReport();
  const { report } = progress;
  for (let round = 0; ; round++) {
    const changes = await deps.rollups.exclusive(async (work) => {
      const { days, marks } = await work.changedDays({ maxDays: DAYS_PER_ROUND });
      const periods = closedPeriodsOf(days, today);
      if (round === 0) {
        const since = addDays(today, -LATELY_CLOSED_DAYS);
        for (const granularity of GRANULARITIES) {
          const stored = await work.storedPeriods(granularity, periodStart(since, granularity), today);
          for (const period of periodsBetween(since, addDays(today, -1), granularity))
            if (period >= since && periodEnd(period, granularity) < today && !stored.has(period)) periods[granularity].add(period);
        }
      }
      await store(work, periods, progress);
      // Days of open periods (today, the future) have nothing to roll up yet: their records go too.
      await work.forget(marks);
      return { marks: marks.length, days: days.length };
    });
    if (changes === null) return round === 0 ? null : report;
    report.changes += changes.marks;
    // Fewer days than a round takes: every record there was is rolled up (new ones wait for the next run).
    if (changes.days < DAYS_PER_ROUND) return report;
  }
}

/**
 * Rolls up every closed period holding a day of [from, to], month by month, whatever changed (a backfill, or after
 * the rules of a figure changed). Waits for another process's rollup to finish; `onMonth` reports progress.
 */
export async function rollUpRange(
  deps: Pick<Deps, "rollups" | "settings" | "clock">,
  from: string,
  to: string,
  onMonth: (month: string, report: RollupReport) => void = () => {},
): Promise<RollupReport> {
  const today = dayIn(deps.clock(), deps.settings.timezone);
  const progress = newReport();
  const { report } = progress;
  for (const month of periodsBetween(from, to, "MONTH")) {
    const first = month < from ? from : month;
    const last = periodEnd(month, "MONTH") > to ? to : periodEnd(month, "MONTH");
    for (;;) {
      const done = await deps.rollups.exclusive(async (work) => {
        const { days, marks } = await work.changedDays({ from: first, to: last });
        await store(work, closedPeriodsOf([...periodsBetween(first, last, "DAY"), ...days], today), progress);
        await work.forget(marks);
        report.changes += marks.length;
        return true;
      });
      if (done) break;
      await sleep(500); // another process is rolling up
    }
    onMonth(month, report);
  }
  return report;
}
