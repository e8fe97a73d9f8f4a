/**
 * A range's figures per doctor, specialty or service, and booked appointments by hour of the week: the same sums as
 * `periodCounts` (kpiCounts.ts), grouped by the row's key instead of the period, so a row's figures are those of
 * `kpis` over the range with the row's doctor, specialty or service added to the filter.
 */
import type { BreakdownDimension, GroupCounts, LoadCounts } from "../domain/breakdownTypes.js";
import type { BreakdownRepository } from "../domain/ports.js";
import { Prisma } from "../generated/prisma/client.js";
import { APPOINTMENT_FILTER, filterSql, INVOICE_FILTER, PAYMENT_FILTER, VISIT_FILTER, type FilterColumns } from "./kpiCounts.js";
import type { PrismaClient } from "./prisma.js";

/** The filter column that is the row's key. */
const KEY: Record<BreakdownDimension, keyof FilterColumns> = { DOCTOR: "doctor", SPECIALTY: "specialty", SERVICE: "service" };

/**
 * What a row shows besides its key, from its latest fact of the range (per table: two SQL expressions or NULL):
 * a doctor's specialty and location, a service's code.
 */
const LABELS: Record<BreakdownDimension, { appointments: [string, string]; visits: [string, string]; invoices: [string, string] }> = {
  DOCTOR: { appointments: ["f.specialty_code", "f.location"], visits: ["v.specialty_code", "v.location"], invoices: ["i.specialty_code", "i.location"] },
  SPECIALTY: { appointments: ["NULL", "NULL"], visits: ["NULL", "NULL"], invoices: ["NULL", "NULL"] },
  SERVICE: { appointments: ["f.service_code", "NULL"], visits: ["a.service_code", "NULL"], invoices: ["a.service_code", "NULL"] },
};

/** A grouped query's rows by key. */
async function byKey<T extends { key: string }>(rows: Promise<T[]>): Promise<Map<string, T>> {
  return new Map((await rows).map((row) => [row.key, row]));
}

export function createBreakdownRepository(prisma: PrismaClient): BreakdownRepository {
  return {
    async groupCounts(dimension, from, to, filter) {
      const range = Prisma.sql`BETWEEN ${from}::date AND ${to}::date`;
      const key = (columns: FilterColumns) => Prisma.raw(`${columns[KEY[dimension]]}::text`);
      const labels = LABELS[dimension];
      const label = (expressions: [string, string]) => Prisma.raw(`${expressions[0]}::text, ${expressions[1]}::text`);
      const [patients, appointments, visits, invoices, payments] = await Promise.all([
        // Distinct patients behind the row's figures (an imported visit counts as a patient of its own), and its labels.
        byKey(
          prisma.$queryRaw<{ key: string; patients: number; label_a: string | null; label_b: string | null }[]>`
            SELECT key, count(DISTINCT who)::int AS patients,
                   (array_agg(label_a ORDER BY label_a IS NULL, day DESC, source))[1] AS label_a,
                   (array_agg(label_b ORDER BY label_a IS NULL, day DESC, source))[1] AS label_b
              FROM (
                SELECT ${key(APPOINTMENT_FILTER)} AS key, COALESCE(f.patient_key, f.appointment_key) AS who, f.visit_date AS day, 1 AS source,
                       ${label(labels.appointments)}
                  FROM analytics.appointment_facts f WHERE f.visit_date ${range} ${filterSql(filter, APPOINTMENT_FILTER)}
                UNION ALL
                SELECT ${key(VISIT_FILTER)}, v.patient_key, v.visit_date, 2, ${label(labels.visits)}
                  FROM analytics.visit_facts v LEFT JOIN analytics.appointment_facts a ON a.appointment_key = v.appointment_key
                 WHERE v.visit_date ${range} ${filterSql(filter, VISIT_FILTER)}
                UNION ALL
                SELECT ${key(INVOICE_FILTER)}, i.patient_key, i.visit_date, 3, ${label(labels.invoices)}
                  FROM analytics.invoice_facts i LEFT JOIN analytics.appointment_facts a ON a.appointment_key = i.appointment_key
                 WHERE i.visit_date ${range} ${filterSql(filter, INVOICE_FILTER)}
              ) AS counted (key, who, day, source, label_a, label_b)
             WHERE key IS NOT NULL
             GROUP BY key`,
        ),
        byKey(
          prisma.$queryRaw<
            {
              key: string;
              requested: number;
              booked: number;
              cancelled: number;
              no_shows: number;
              fulfilled: number;
              feedback_count: number;
              feedback_sum: number;
            }[]
          >`
            SELECT ${key(APPOINTMENT_FILTER)} AS key,
                   count(*) FILTER (WHERE f.requested_at IS NOT NULL OR f.source = 'IMPORT')::int AS requested,
                   count(*) FILTER (WHERE f.booked_at IS NOT NULL)::int AS booked,
                   count(*) FILTER (WHERE f.status = 'CANCELLED')::int AS cancelled,
                   count(*) FILTER (WHERE f.status = 'NO_SHOW')::int AS no_shows,
                   count(*) FILTER (WHERE f.status = 'FULFILLED')::int AS fulfilled,
                   count(f.rating)::int AS feedback_count,
                   COALESCE(sum(f.rating), 0)::int AS feedback_sum
              FROM analytics.appointment_facts f
             WHERE f.visit_date ${range} AND ${key(APPOINTMENT_FILTER)} IS NOT NULL ${filterSql(filter, APPOINTMENT_FILTER)}
             GROUP BY 1`,
        ),
        byKey(
          prisma.$queryRaw<{ key: string; wait_minutes: number | null }[]>`
            SELECT ${key(VISIT_FILTER)} AS key,
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM v.started_at - v.registered_at) / 60)
                     FILTER (WHERE v.started_at IS NOT NULL AND v.registered_at IS NOT NULL) AS wait_minutes
              FROM analytics.visit_facts v LEFT JOIN analytics.appointment_facts a ON a.appointment_key = v.appointment_key
             WHERE v.visit_date ${range} AND ${key(VISIT_FILTER)} IS NOT NULL ${filterSql(filter, VISIT_FILTER)}
             GROUP BY 1`,
        ),
        // Invoiced: invoices less credit notes (negative), on the visit's day.
        byKey(
          prisma.$queryRaw<{ key: string; invoiced: bigint }[]>`
            SELECT ${key(INVOICE_FILTER)} AS key, COALESCE(sum(i.total_minor), 0) AS invoiced
              FROM analytics.invoice_facts i LEFT JOIN analytics.appointment_facts a ON a.appointment_key = i.appointment_key
             WHERE i.visit_date ${range} AND ${key(INVOICE_FILTER)} IS NOT NULL ${filterSql(filter, INVOICE_FILTER)}
             GROUP BY 1`,
        ),
        // Collected: money in less money out, on the day of the visit paid for (a prepayment: its appointment's).
        byKey(
          prisma.$queryRaw<{ key: string; collected: bigint }[]>`
            SELECT ${key(PAYMENT_FILTER)} AS key, COALESCE(sum(p.cash_minor), 0) AS collected
              FROM analytics.payment_facts p
              LEFT JOIN analytics.invoice_facts i ON i.invoice_key = p.invoice_key
              LEFT JOIN analytics.appointment_facts a ON a.appointment_key = COALESCE(p.appointment_key, i.appointment_key)
             WHERE COALESCE(i.visit_date, a.visit_date) ${range} AND ${key(PAYMENT_FILTER)} IS NOT NULL ${filterSql(filter, PAYMENT_FILTER)}
             GROUP BY 1`,
        ),
      ]);
      const keys = [...new Set([...patients.keys(), ...appointments.keys(), ...visits.keys(), ...invoices.keys(), ...payments.keys()])].sort();
      return keys.map((k): GroupCounts => {
        const who = patients.get(k);
        const row = appointments.get(k);
        return {
          key: k,
          specialtyCode: dimension === "DOCTOR" ? (who?.label_a ?? null) : dimension === "SPECIALTY" ? k : null,
          location: dimension === "DOCTOR" ? (who?.label_b ?? null) : null,
          serviceCode: dimension === "SERVICE" ? (who?.label_a ?? null) : null,
          patients: who?.patients ?? 0,
          requested: row?.requested ?? 0,
          booked: row?.booked ?? 0,
          cancelled: row?.cancelled ?? 0,
          noShows: row?.no_shows ?? 0,
          fulfilled: row?.fulfilled ?? 0,
          feedbackCount: row?.feedback_count ?? 0,
          feedbackSum: row?.feedback_sum ?? 0,
          medianWaitMinutes: visits.get(k)?.wait_minutes ?? null,
          invoicedMinor: Number(invoices.get(k)?.invoiced ?? 0),
          collectedMinor: Number(payments.get(k)?.collected ?? 0),
        };
      });
    },

    async loadCounts(from, to, filter, timezone) {
      // The start's wall-clock time in the clinic's zone (AT TIME ZONE follows its daylight-saving rules).
      return prisma.$queryRaw<LoadCounts[]>`
        SELECT extract(isodow FROM f.starts_at AT TIME ZONE ${timezone})::int AS weekday,
               extract(hour FROM f.starts_at AT TIME ZONE ${timezone})::int AS hour,
               count(*)::int AS booked,
               count(DISTINCT COALESCE(f.patient_key, f.appointment_key))::int AS patients
          FROM analytics.appointment_facts f
         WHERE f.visit_date BETWEEN ${from}::date AND ${to}::date AND f.booked_at IS NOT NULL AND f.starts_at IS NOT NULL ${filterSql(filter, APPOINTMENT_FILTER)}
         GROUP BY 1, 2
         ORDER BY 1, 2`;
    },
  };
}
