/**
 * The sums behind `kpis`, per period of the visit day, drawn from the facts in one of two shapes:
 * - for one filter (what a query asks for), or
 * - for every combination of specialty, doctor, service and location at once (GROUP BY CUBE), which is what a
 *   rollup stores: a query's filter then picks its cell.
 * Both shapes run the same SQL, so a rolled-up figure is exactly the one the facts give.
 */
import type { Granularity, KpiFilter, PeriodCounts } from "../domain/types.js";
import { Prisma } from "../generated/prisma/client.js";
import type { PrismaClient } from "./prisma.js";

const TRUNC = { DAY: "day", WEEK: "week", MONTH: "month" } as const;

/** Where a table keeps what a KPI filter narrows by (SQL expressions over its alias; "NULL": the table has none). */
export interface FilterColumns {
  specialty: string;
  doctor: string;
  service: string;
  location: string;
}

export const APPOINTMENT_FILTER: FilterColumns = { specialty: "f.specialty_code", doctor: "f.doctor_id", service: "f.service_id", location: "f.location" };
// Visits and invoices are narrowed to a service through their appointment (a walk-in has none).
export const VISIT_FILTER: FilterColumns = { specialty: "v.specialty_code", doctor: "v.doctor_id", service: "a.service_id", location: "v.location" };
const EXAMINATION_FILTER: FilterColumns = { specialty: "e.specialty_code", doctor: "e.doctor_id", service: "e.service_id", location: "e.location" };
export const INVOICE_FILTER: FilterColumns = { specialty: "i.specialty_code", doctor: "i.doctor_id", service: "a.service_id", location: "i.location" };
const SUPPLY_FILTER: FilterColumns = { specialty: "s.specialty_code", doctor: "s.doctor_id", service: "NULL", location: "s.location" };
export const PAYMENT_FILTER: FilterColumns = {
  specialty: "COALESCE(i.specialty_code, a.specialty_code)",
  doctor: "COALESCE(i.doctor_id, a.doctor_id)",
  service: "a.service_id",
  location: "COALESCE(i.location, a.location)",
};
/** The union of appointments, visits and invoices that distinct patients are counted over. */
const PATIENT_FILTER: FilterColumns = { specialty: "u.specialty", doctor: "u.doctor", service: "u.service", location: "u.location" };

/** The SQL condition of a KPI filter over the given columns (`AND …`, or nothing). */
export function filterSql(filter: KpiFilter, columns: FilterColumns = APPOINTMENT_FILTER): Prisma.Sql {
  const parts: Prisma.Sql[] = [];
  if (filter.specialty != null) parts.push(Prisma.sql`${Prisma.raw(columns.specialty)} = ${filter.specialty}`);
  if (filter.doctorId != null) parts.push(Prisma.sql`${Prisma.raw(columns.doctor)} = ${filter.doctorId}::uuid`);
  if (filter.serviceId != null) parts.push(Prisma.sql`${Prisma.raw(columns.service)} = ${filter.serviceId}::uuid`);
  if (filter.location != null) parts.push(Prisma.sql`${Prisma.raw(columns.location)} = ${filter.location}`);
  return parts.length ? Prisma.sql`AND ${Prisma.join(parts, " AND ")}` : Prisma.empty;
}

/** Sums for one filter, or for every combination of the four filter dimensions. */
export type CountsShape = { filter: KpiFilter } | { cube: true };

/**
 * A combination of the filter dimensions: each an exact value (a doctor's id, a specialty's code, …) or "" for all.
 * Sums for a filter are the cell of its values.
 */
export interface Cell {
  specialty: string;
  doctor: string;
  service: string;
  location: string;
}

export const cellOfFilter = (filter: KpiFilter): Cell => ({
  specialty: filter.specialty ?? "",
  doctor: filter.doctorId ?? "",
  service: filter.serviceId ?? "",
  location: filter.location ?? "",
});

const DIMENSIONS = ["specialty", "doctor", "service", "location"] as const;

/** The selected dimension columns, the WHERE condition and the GROUP BY addition of a shape over a table's columns. */
function shaped(shape: CountsShape, columns: FilterColumns, options: { where?: boolean } = {}) {
  if ("filter" in shape) return { select: Prisma.empty, where: options.where === false ? Prisma.empty : filterSql(shape.filter, columns), group: Prisma.empty };
  const grouped = DIMENSIONS.filter((d) => columns[d] !== "NULL");
  return {
    // g_<dimension> = 1: summed over all of it (GROUPING); d_<dimension>: its value otherwise.
    select: Prisma.raw(
      DIMENSIONS.map((d) =>
        columns[d] === "NULL" ? `, 1 AS g_${d}, NULL AS d_${d}` : `, GROUPING(${columns[d]}) AS g_${d}, (${columns[d]})::text AS d_${d}`,
      ).join(""),
    ),
    where: Prisma.empty,
    group: Prisma.raw(`, CUBE(${grouped.map((d) => columns[d]).join(", ")})`),
  };
}

interface ShapedRow {
  period: string;
  g_specialty?: number;
  g_doctor?: number;
  g_service?: number;
  g_location?: number;
  d_specialty?: string | null;
  d_doctor?: string | null;
  d_service?: string | null;
  d_location?: string | null;
}

/**
 * The key of a row's period and cell; null for a cell with a dimension the facts leave empty (an imported visit's
 * doctor): no filter can ask for it.
 */
function keyOf(row: ShapedRow): string | null {
  const parts = [row.period];
  for (const d of DIMENSIONS) {
    if ((row[`g_${d}`] ?? 1) === 1) parts.push("");
    else {
      const value = row[`d_${d}`];
      if (value == null) return null;
      parts.push(value);
    }
  }
  return parts.join("|");
}

async function byKey<T extends ShapedRow>(rows: Promise<T[]>): Promise<Map<string, T>> {
  const keyed = new Map<string, T>();
  for (const row of await rows) {
    const key = keyOf(row);
    if (key !== null) keyed.set(key, row);
  }
  return keyed;
}

/** Runs the tasks one after the other, or all at once. */
async function inTurnOrAtOnce<T extends readonly (() => Promise<unknown>)[]>(
  tasks: T,
  parallel: boolean,
): Promise<{ -readonly [K in keyof T]: Awaited<ReturnType<T[K]>> }> {
  if (parallel) return (await Promise.all(tasks.map((task) => task()))) as { -readonly [K in keyof T]: Awaited<ReturnType<T[K]>> };
  const results: unknown[] = [];
  for (const task of tasks) results.push(await task());
  return results as { -readonly [K in keyof T]: Awaited<ReturnType<T[K]>> };
}

export interface CellCounts {
  cell: Cell;
  counts: PeriodCounts;
}

/**
 * The sums per period (by its first day) and cell of the facts whose visit day is in [from, to]. Periods and cells
 * without facts are left out. The queries run one after the other (they may share one transaction's snapshot), or
 * side by side on the pool's connections (`parallel`).
 */
export async function countFacts(
  db: Pick<PrismaClient, "$queryRaw">,
  from: string,
  to: string,
  granularity: Granularity,
  shape: CountsShape,
  parallel = false,
): Promise<CellCounts[]> {
  const trunc = TRUNC[granularity];
  const range = Prisma.sql`BETWEEN ${from}::date AND ${to}::date`;
  const period = (column: string) => Prisma.sql`to_char(date_trunc(${trunc}, ${Prisma.raw(column)}), 'YYYY-MM-DD')`;
  const appointment = shaped(shape, APPOINTMENT_FILTER);
  const appointmentsTask = () =>
    byKey(
      db.$queryRaw<
        (ShapedRow & {
          requested: number;
          booked: number;
          cancelled: number;
          no_shows: number;
          fulfilled: number;
          lead_hours: number | null;
          approval_minutes: number | null;
          booked_minutes: number;
          imported_minor: number;
          feedback_count: number;
          feedback_sum: number;
          r1: number;
          r2: number;
          r3: number;
          r4: number;
          r5: number;
        })[]
      >`
      SELECT ${period("f.visit_date")} AS period ${appointment.select},
             count(*) FILTER (WHERE f.requested_at IS NOT NULL OR f.source = 'IMPORT')::int AS requested,
             count(*) FILTER (WHERE f.booked_at IS NOT NULL)::int AS booked,
             count(*) FILTER (WHERE f.status = 'CANCELLED')::int AS cancelled,
             count(*) FILTER (WHERE f.status = 'NO_SHOW')::int AS no_shows,
             count(*) FILTER (WHERE f.status = 'FULFILLED')::int AS fulfilled,
             percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM f.starts_at - f.requested_at) / 3600)
               FILTER (WHERE f.booked_at IS NOT NULL AND f.requested_at IS NOT NULL AND f.starts_at IS NOT NULL) AS lead_hours,
             percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM f.answered_at - f.requested_at) / 60)
               FILTER (WHERE f.needs_approval AND f.answered_at IS NOT NULL) AS approval_minutes,
             COALESCE(sum(extract(epoch FROM f.ends_at - f.starts_at) / 60)
               FILTER (WHERE f.booked_at IS NOT NULL AND f.status NOT IN ('CANCELLED', 'REJECTED', 'EXPIRED')), 0)::float8 AS booked_minutes,
             -- An imported visit brings what the other system invoiced for it.
             COALESCE(sum(f.amount_minor) FILTER (WHERE f.source = 'IMPORT'), 0)::float8 AS imported_minor,
             count(f.rating)::int AS feedback_count,
             COALESCE(sum(f.rating), 0)::int AS feedback_sum,
             count(*) FILTER (WHERE f.rating = 1)::int AS r1,
             count(*) FILTER (WHERE f.rating = 2)::int AS r2,
             count(*) FILTER (WHERE f.rating = 3)::int AS r3,
             count(*) FILTER (WHERE f.rating = 4)::int AS r4,
             count(*) FILTER (WHERE f.rating = 5)::int AS r5
        FROM analytics.appointment_facts f
       WHERE f.visit_date ${range} ${appointment.where}
       GROUP BY 1 ${appointment.group}`,
    );

  // Distinct patients behind the period's figures (an imported visit counts as a patient of its own).
  const filtered = (columns: FilterColumns) => ("filter" in shape ? filterSql(shape.filter, columns) : Prisma.empty);
  const patient = shaped(shape, PATIENT_FILTER, { where: false });
  const patientsTask = () =>
    byKey(
      db.$queryRaw<(ShapedRow & { patients: number })[]>`
      SELECT u.period ${patient.select}, count(DISTINCT u.who)::int AS patients FROM (
        SELECT ${period("f.visit_date")} AS period, f.specialty_code AS specialty, f.doctor_id AS doctor, f.service_id AS service,
               f.location, COALESCE(f.patient_key, f.appointment_key) AS who
          FROM analytics.appointment_facts f WHERE f.visit_date ${range} ${filtered(APPOINTMENT_FILTER)}
        UNION ALL
        SELECT ${period("v.visit_date")}, v.specialty_code, v.doctor_id, a.service_id, v.location, v.patient_key
          FROM analytics.visit_facts v LEFT JOIN analytics.appointment_facts a ON a.appointment_key = v.appointment_key
         WHERE v.visit_date ${range} ${filtered(VISIT_FILTER)}
        UNION ALL
        SELECT ${period("i.visit_date")}, i.specialty_code, i.doctor_id, a.service_id, i.location, i.patient_key
          FROM analytics.invoice_facts i LEFT JOIN analytics.appointment_facts a ON a.appointment_key = i.appointment_key
         WHERE i.visit_date ${range} ${filtered(INVOICE_FILTER)}
      ) u GROUP BY 1 ${patient.group}`,
    );

  const visit = shaped(shape, VISIT_FILTER);
  const visitsTask = () =>
    byKey(
      db.$queryRaw<(ShapedRow & { wait_minutes: number | null })[]>`
      SELECT ${period("v.visit_date")} AS period ${visit.select},
             percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM v.started_at - v.registered_at) / 60)
               FILTER (WHERE v.started_at IS NOT NULL AND v.registered_at IS NOT NULL) AS wait_minutes
        FROM analytics.visit_facts v LEFT JOIN analytics.appointment_facts a ON a.appointment_key = v.appointment_key
       WHERE v.visit_date ${range} ${visit.where}
       GROUP BY 1 ${visit.group}`,
    );

  const examination = shaped(shape, EXAMINATION_FILTER);
  const examinationsTask = () =>
    byKey(
      db.$queryRaw<(ShapedRow & { turnaround_hours: number | null; review_hours: number | null })[]>`
      SELECT ${period("e.visit_date")} AS period ${examination.select},
             percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM e.performed_at - e.ordered_at) / 3600)
               FILTER (WHERE e.performed_at IS NOT NULL) AS turnaround_hours,
             percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM e.reviewed_at - e.performed_at) / 3600)
               FILTER (WHERE e.reviewed_at IS NOT NULL AND e.performed_at IS NOT NULL) AS review_hours
        FROM analytics.examination_facts e
       WHERE e.visit_date ${range} ${examination.where}
       GROUP BY 1 ${examination.group}`,
    );

  // Invoiced: invoices less credit notes (negative). Outstanding: open invoices' totals less what their payments
  // applied (a voided invoice asks nothing).
  const invoice = shaped(shape, INVOICE_FILTER);
  const invoicesTask = () =>
    byKey(
      db.$queryRaw<(ShapedRow & { invoiced: number; outstanding: number })[]>`
      SELECT ${period("i.visit_date")} AS period ${invoice.select},
             COALESCE(sum(i.total_minor), 0)::float8 AS invoiced,
             COALESCE(sum(i.total_minor - COALESCE(paid.applied, 0)) FILTER (WHERE i.kind = 'INVOICE' AND NOT i.voided), 0)::float8 AS outstanding
        FROM analytics.invoice_facts i
        LEFT JOIN analytics.appointment_facts a ON a.appointment_key = i.appointment_key
        LEFT JOIN LATERAL (SELECT sum(p.applied_minor) AS applied FROM analytics.payment_facts p WHERE p.invoice_key = i.invoice_key) paid ON true
       WHERE i.visit_date ${range} ${invoice.where}
       GROUP BY 1 ${invoice.group}`,
    );

  // Collected: money in less money out, on the day of the visit paid for (a prepayment: its appointment's).
  const payment = shaped(shape, PAYMENT_FILTER);
  const paymentsTask = () =>
    byKey(
      db.$queryRaw<(ShapedRow & { collected: number })[]>`
      SELECT ${period("COALESCE(i.visit_date, a.visit_date)")} AS period ${payment.select}, COALESCE(sum(p.cash_minor), 0)::float8 AS collected
        FROM analytics.payment_facts p
        LEFT JOIN analytics.invoice_facts i ON i.invoice_key = p.invoice_key
        LEFT JOIN analytics.appointment_facts a ON a.appointment_key = COALESCE(p.appointment_key, i.appointment_key)
       WHERE COALESCE(i.visit_date, a.visit_date) ${range} ${payment.where}
       GROUP BY 1 ${payment.group}`,
    );

  // Offered time is per doctor, not per service: none under a service filter.
  const supply = shaped(shape, SUPPLY_FILTER);
  const offeredTask = () =>
    "filter" in shape && shape.filter.serviceId != null
      ? Promise.resolve(new Map<string, ShapedRow & { offered: number }>())
      : byKey(
          db.$queryRaw<(ShapedRow & { offered: number })[]>`
            SELECT ${period("s.day")} AS period ${supply.select}, sum(s.offered_minutes)::float8 AS offered
              FROM analytics.supply_facts s
             WHERE s.day ${range} ${supply.where}
             GROUP BY 1 ${supply.group}`,
        );

  const [appointments, patients, visits, examinations, invoices, payments, offered] = await inTurnOrAtOnce(
    [appointmentsTask, patientsTask, visitsTask, examinationsTask, invoicesTask, paymentsTask, offeredTask] as const,
    parallel,
  );
  const keys = [
    ...new Set([
      ...appointments.keys(),
      ...patients.keys(),
      ...visits.keys(),
      ...examinations.keys(),
      ...invoices.keys(),
      ...payments.keys(),
      ...offered.keys(),
    ]),
  ].sort();
  return keys.map((key): CellCounts => {
    const [periodStart = "", specialty = "", doctor = "", service = "", location = ""] = key.split("|");
    const row = appointments.get(key);
    const examinationRow = examinations.get(key);
    const invoiceRow = invoices.get(key);
    return {
      cell: { specialty, doctor, service, location },
      counts: {
        period: periodStart,
        patients: patients.get(key)?.patients ?? 0,
        requested: row?.requested ?? 0,
        booked: row?.booked ?? 0,
        cancelled: row?.cancelled ?? 0,
        noShows: row?.no_shows ?? 0,
        fulfilled: row?.fulfilled ?? 0,
        medianLeadTimeHours: row?.lead_hours ?? null,
        medianApprovalMinutes: row?.approval_minutes ?? null,
        feedbackCount: row?.feedback_count ?? 0,
        feedbackSum: row?.feedback_sum ?? 0,
        feedbackDistribution: row ? [row.r1, row.r2, row.r3, row.r4, row.r5] : [0, 0, 0, 0, 0],
        medianWaitMinutes: visits.get(key)?.wait_minutes ?? null,
        medianExamTurnaroundHours: examinationRow?.turnaround_hours ?? null,
        medianReviewHours: examinationRow?.review_hours ?? null,
        invoicedMinor: (invoiceRow?.invoiced ?? 0) + (row?.imported_minor ?? 0),
        collectedMinor: payments.get(key)?.collected ?? 0,
        outstandingMinor: invoiceRow?.outstanding ?? 0,
        bookedMinutes: row?.booked_minutes ?? 0,
        offeredMinutes: service !== "" || ("filter" in shape && shape.filter.serviceId != null) ? null : (offered.get(key)?.offered ?? 0),
      },
    };
  });
}
