/**
 * Rollups (analytics.kpi_rollups, rollup_periods) and the change records the fact tables' triggers write
 * (analytics.fact_changes). The rollup job holds a transaction-scoped advisory lock on one connection while it works
 * on another in a REPEATABLE READ transaction begun after the lock was taken, so each run sees every change committed
 * by the run before it, and two instances never roll up at once.
 */
import type { RollupRepository, RollupWork } from "../domain/ports.js";
import type { PeriodCounts } from "../domain/types.js";
import { Prisma } from "../generated/prisma/client.js";
import { cellOfFilter, countFacts } from "./kpiCounts.js";
import type { PrismaClient, Tx } from "./prisma.js";
import { consecutiveRuns, periodEnd } from "../domain/periods.js";

/** The advisory lock key of the rollup job (any constant unique within the database). */
const ROLLUP_LOCK = 7_126_455_013;
/** A run may take long (a backfill of a busy month). */
const RUN_TIMEOUT_MS = 30 * 60_000;

type StoredCounts = Omit<PeriodCounts, "period">;

function rollupWork(tx: Tx): RollupWork {
  return {
    async changedDays({ maxDays, from, to }) {
      const rows = await tx.$queryRaw<{ id: bigint; day: string }[]>`
        SELECT c.id, to_char(c.day, 'YYYY-MM-DD') AS day FROM analytics.fact_changes c
         WHERE c.day IN (
           SELECT DISTINCT day FROM analytics.fact_changes
            WHERE (${from ?? null}::date IS NULL OR day >= ${from ?? null}::date) AND (${to ?? null}::date IS NULL OR day <= ${to ?? null}::date)
            ORDER BY day LIMIT ${maxDays ?? null}::int)`;
      return { days: [...new Set(rows.map((row) => row.day))].sort(), marks: rows.map((row) => String(row.id)) };
    },

    async storedPeriods(granularity, from, to) {
      const rows = await tx.$queryRaw<{ period: string }[]>`
        SELECT to_char(period, 'YYYY-MM-DD') AS period FROM analytics.rollup_periods
         WHERE granularity = ${granularity} AND period BETWEEN ${from}::date AND ${to}::date`;
      return new Set(rows.map((row) => row.period));
    },

    async store(granularity, periods) {
      const wanted = new Set(periods);
      let cells = 0;
      const sorted = [...periods].sort();
      if (sorted.length === 0) return 0;
      // One count per run of consecutive periods: scattered days (late events) each count only their own facts.
      const counted = [];
      for (const [first, last] of consecutiveRuns(sorted, granularity))
        counted.push(...(await countFacts(tx, first, periodEnd(last, granularity), granularity, { cube: true })));
      await tx.$executeRaw`DELETE FROM analytics.kpi_rollups WHERE granularity = ${granularity} AND period = ANY(${sorted}::date[])`;
      const rows = counted
        .filter(({ counts }) => wanted.has(counts.period))
        .map(({ cell, counts: { period, ...stored } }) => ({
          granularity,
          period: new Date(`${period}T00:00:00Z`),
          specialty: cell.specialty,
          doctor: cell.doctor,
          service: cell.service,
          location: cell.location,
          counts: stored as Prisma.InputJsonObject,
        }));
      for (let i = 0; i < rows.length; i += 1_000) cells += (await tx.kpiRollup.createMany({ data: rows.slice(i, i + 1_000) })).count;
      await tx.$executeRaw`
        INSERT INTO analytics.rollup_periods (granularity, period, computed_at)
        SELECT ${granularity}, p, now() FROM unnest(${sorted}::date[]) AS p
        ON CONFLICT (granularity, period) DO UPDATE SET computed_at = EXCLUDED.computed_at`;
      return cells;
    },

    async forget(marks) {
      if (marks.length > 0) await tx.$executeRaw`DELETE FROM analytics.fact_changes WHERE id = ANY(${marks.map(BigInt)}::bigint[])`;
    },
  };
}

export function createRollupRepository(prisma: PrismaClient): RollupRepository {
  return {
    async read(granularity, periods, filter) {
      const cell = cellOfFilter(filter);
      const rows = await prisma.$queryRaw<{ period: string; counts: StoredCounts | null }[]>`
        SELECT to_char(p.start, 'YYYY-MM-DD') AS period, k.counts
          FROM unnest(${periods.map((p) => p.start)}::date[], ${periods.map((p) => p.end)}::date[]) AS p(start, finish)
          JOIN analytics.rollup_periods r ON r.granularity = ${granularity} AND r.period = p.start
          LEFT JOIN analytics.kpi_rollups k ON k.granularity = ${granularity} AND k.period = p.start AND k.specialty_code = ${cell.specialty}
               AND k.doctor_id = ${cell.doctor} AND k.service_id = ${cell.service} AND k.location = ${cell.location}
         WHERE NOT EXISTS (SELECT 1 FROM analytics.fact_changes c WHERE c.day BETWEEN p.start AND p.finish)`;
      return new Map(rows.map(({ period, counts }) => [period, counts ? { period, ...counts } : null]));
    },

    async exclusive(work) {
      return prisma.$transaction(
        async (lock) => {
          const [{ locked }] = (await lock.$queryRaw<{ locked: boolean }[]>`SELECT pg_try_advisory_xact_lock(${ROLLUP_LOCK}::bigint) AS locked`) as [
            { locked: boolean },
          ];
          if (!locked) return null;
          return prisma.$transaction((tx) => work(rollupWork(tx)), { isolationLevel: "RepeatableRead", timeout: RUN_TIMEOUT_MS, maxWait: 60_000 });
        },
        { timeout: RUN_TIMEOUT_MS + 60_000, maxWait: 60_000 },
      );
    },
  };
}
