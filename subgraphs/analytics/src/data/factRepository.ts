/**
 * Facts (analytics.appointment_facts, visit_facts, examination_facts, invoice_facts, payment_facts): merged from
 * events so that duplicates and any order of arrival give the same rows, and summed per period.
 */
import type { FactRepository } from "../domain/ports.js";
import { statusRank, type ExaminationChange, type KpiFilter, type PeriodCounts } from "../domain/types.js";
import { Prisma } from "../generated/prisma/client.js";
import type { PrismaClient, Tx } from "./prisma.js";

const TRUNC = { DAY: "day", WEEK: "week", MONTH: "month" } as const;

/** Where a table keeps what a KPI filter narrows by (SQL expressions over its alias). */
interface FilterColumns {
  specialty: string;
  doctor: string;
  service: string;
  location: string;
}

const APPOINTMENT_COLUMNS: FilterColumns = { specialty: "f.specialty_code", doctor: "f.doctor_id", service: "f.service_id", location: "f.location" };
// Visits and invoices are narrowed to a service through their appointment (a walk-in has none).
const VISIT_COLUMNS: FilterColumns = { specialty: "v.specialty_code", doctor: "v.doctor_id", service: "a.service_id", location: "v.location" };
const EXAMINATION_COLUMNS: FilterColumns = { specialty: "e.specialty_code", doctor: "e.doctor_id", service: "e.service_id", location: "e.location" };
const INVOICE_COLUMNS: FilterColumns = { specialty: "i.specialty_code", doctor: "i.doctor_id", service: "a.service_id", location: "i.location" };
const SUPPLY_COLUMNS: FilterColumns = { specialty: "s.specialty_code", doctor: "s.doctor_id", service: "NULL", location: "s.location" };
const PAYMENT_COLUMNS: FilterColumns = {
  specialty: "COALESCE(i.specialty_code, a.specialty_code)",
  doctor: "COALESCE(i.doctor_id, a.doctor_id)",
  service: "a.service_id",
  location: "COALESCE(i.location, a.location)",
};

/** The SQL condition of a KPI filter over the given columns (`AND …`, or nothing). */
export function filterSql(filter: KpiFilter, columns: FilterColumns = APPOINTMENT_COLUMNS): Prisma.Sql {
  const parts: Prisma.Sql[] = [];
  if (filter.specialty != null) parts.push(Prisma.sql`${Prisma.raw(columns.specialty)} = ${filter.specialty}`);
  if (filter.doctorId != null) parts.push(Prisma.sql`${Prisma.raw(columns.doctor)} = ${filter.doctorId}::uuid`);
  if (filter.serviceId != null) parts.push(Prisma.sql`${Prisma.raw(columns.service)} = ${filter.serviceId}::uuid`);
  if (filter.location != null) parts.push(Prisma.sql`${Prisma.raw(columns.location)} = ${filter.location}`);
  return parts.length ? Prisma.sql`AND ${Prisma.join(parts, " AND ")}` : Prisma.empty;
}

/** A per-period query's rows by period (YYYY-MM-DD). */
async function byPeriod<T extends { period: Date }>(rows: Promise<T[]>): Promise<Map<string, T>> {
  return new Map((await rows).map((row) => [row.period.toISOString().slice(0, 10), row]));
}

const VISIT_STEP_COLUMNS = {
  registeredAt: "registered_at",
  startedAt: "started_at",
  finishedAt: "finished_at",
  refusedAt: "refused_at",
  confirmedAt: "confirmed_at",
};

export function createFactRepository(prisma: PrismaClient): FactRepository {
  /** Runs `write` in one transaction with the record that the consumer handled the event, unless it had. */
  const once = (consumer: string, eventId: string, write: (tx: Tx) => Promise<unknown>) =>
    prisma.$transaction(async (tx) => {
      const { count } = await tx.processedEvent.createMany({ data: [{ consumer, eventId }], skipDuplicates: true });
      if (count === 1) await write(tx);
    });
  return {
    async applyAppointmentChange(consumer, eventId, c) {
      const rank = statusRank(c.status);
      await once(consumer, eventId, async (tx) => {
        // Steps: the earliest report wins (LEAST skips nulls).
        await tx.$executeRaw`
          INSERT INTO analytics.appointment_facts AS f (
            appointment_key, source, source_id, patient_key, doctor_id, specialty_code, service_id, service_code, location,
            visit_date, starts_at, ends_at, requested_at, answered_at, booked_at, checked_in_at, needs_approval,
            status, status_at, status_rank, status_event_id, rating, amount_minor, currency, updated_at)
          VALUES (
            ${c.appointmentKey}, ${c.source}, ${c.sourceId}, ${c.patientKey}, ${c.doctorId}::uuid, ${c.specialtyCode}, ${c.serviceId}::uuid,
            ${c.serviceCode}, ${c.location}, ${c.visitDate}::date, ${c.startsAt}, ${c.endsAt}, ${c.requestedAt}, ${c.answeredAt},
            ${c.bookedAt}, ${c.checkedInAt}, ${c.needsApproval}, ${c.status}, ${c.statusAt}, ${rank}, ${c.statusEventId}, ${c.rating},
            ${c.amountMinor}, ${c.currency}, now())
          ON CONFLICT (appointment_key) DO UPDATE SET
            requested_at = LEAST(f.requested_at, EXCLUDED.requested_at),
            answered_at = LEAST(f.answered_at, EXCLUDED.answered_at),
            booked_at = LEAST(f.booked_at, EXCLUDED.booked_at),
            checked_in_at = LEAST(f.checked_in_at, EXCLUDED.checked_in_at),
            needs_approval = f.needs_approval OR EXCLUDED.needs_approval,
            rating = COALESCE(f.rating, EXCLUDED.rating),
            updated_at = now()`;
        // What the appointment is now (status, time, doctor, service): the latest event's, ties broken by the step
        // further along, then by event id.
        await tx.$executeRaw`
          UPDATE analytics.appointment_facts SET
            status = ${c.status}, status_at = ${c.statusAt}, status_rank = ${rank}, status_event_id = ${c.statusEventId},
            patient_key = ${c.patientKey}, doctor_id = ${c.doctorId}::uuid, specialty_code = ${c.specialtyCode}, service_id = ${c.serviceId}::uuid,
            service_code = ${c.serviceCode}, location = ${c.location}, visit_date = ${c.visitDate}::date, starts_at = ${c.startsAt}, ends_at = ${c.endsAt}
          WHERE appointment_key = ${c.appointmentKey}
            AND (status_at, status_rank, status_event_id) < (${c.statusAt}::timestamptz, ${rank}::int, ${c.statusEventId}::text)`;
      });
    },

    async applyVisitChange(consumer, eventId, c) {
      const column = Prisma.raw(VISIT_STEP_COLUMNS[c.step]);
      await once(
        consumer,
        eventId,
        (tx) =>
          tx.$executeRaw`
          INSERT INTO analytics.visit_facts AS v (encounter_key, appointment_key, patient_key, doctor_id, specialty_code, location, visit_date, ${column}, updated_at)
          VALUES (${c.encounterKey}, ${c.appointmentKey}, ${c.patientKey}, ${c.doctorId}::uuid, ${c.specialtyCode}, ${c.location}, ${c.visitDate}::date, ${c.at}, now())
          ON CONFLICT (encounter_key) DO UPDATE SET
            ${column} = LEAST(v.${column}, EXCLUDED.${column}),
            visit_date = CASE WHEN ${c.step === "registeredAt"} THEN EXCLUDED.visit_date ELSE v.visit_date END,
            updated_at = now()`,
      );
    },

    async applyExaminationChange(consumer, eventId, c) {
      const at = (step: NonNullable<ExaminationChange["step"]>) => (c.step === step ? c.at : null);
      await once(
        consumer,
        eventId,
        (tx) =>
          tx.$executeRaw`
          INSERT INTO analytics.examination_facts AS e (examination_key, encounter_key, patient_key, doctor_id, specialty_code, location, service_id,
            service_code, visit_date, ordered_at, performed_at, cancelled_at, reviewed_at, updated_at)
          VALUES (${c.examinationKey}, ${c.encounterKey}, ${c.patientKey}, ${c.doctorId}::uuid, ${c.specialtyCode}, ${c.location}, ${c.serviceId}::uuid,
            ${c.serviceCode}, ${c.visitDate}::date, ${c.orderedAt}, ${at("performedAt")}::timestamptz, ${at("cancelledAt")}::timestamptz,
            ${at("reviewedAt")}::timestamptz, now())
          ON CONFLICT (examination_key) DO UPDATE SET
            performed_at = LEAST(e.performed_at, EXCLUDED.performed_at),
            cancelled_at = LEAST(e.cancelled_at, EXCLUDED.cancelled_at),
            reviewed_at = LEAST(e.reviewed_at, EXCLUDED.reviewed_at),
            updated_at = now()`,
      );
    },

    async applyInvoiceChange(consumer, eventId, c) {
      await once(
        consumer,
        eventId,
        (tx) =>
          tx.$executeRaw`
          INSERT INTO analytics.invoice_facts AS i (invoice_key, appointment_key, patient_key, doctor_id, specialty_code, location, visit_date, kind,
            total_minor, currency, voided, updated_at)
          VALUES (${c.invoiceKey}, ${c.appointmentKey}, ${c.patientKey}, ${c.doctorId}::uuid, ${c.specialtyCode}, ${c.location}, ${c.visitDate}::date,
            ${c.kind}, ${c.totalMinor}, ${c.currency}, ${c.voided}, now())
          ON CONFLICT (invoice_key) DO UPDATE SET voided = i.voided OR EXCLUDED.voided, updated_at = now()`,
      );
    },

    async applyPaymentChange(consumer, eventId, c) {
      await once(
        consumer,
        eventId,
        (tx) =>
          tx.$executeRaw`
          INSERT INTO analytics.payment_facts (payment_key, invoice_key, appointment_key, kind, method, cash_minor, applied_minor, at)
          VALUES (${c.paymentKey}, ${c.invoiceKey}, ${c.appointmentKey}, ${c.kind}, ${c.method}, ${c.cashMinor}, ${c.appliedMinor}, ${c.at})
          ON CONFLICT (payment_key) DO NOTHING`,
      );
    },

    async periodCounts(from, to, granularity, filter) {
      const trunc = TRUNC[granularity];
      const rows = await prisma.$queryRaw<
        {
          period: Date;
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
        }[]
      >`
        SELECT date_trunc(${trunc}, f.visit_date)::date AS period,
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
         WHERE f.visit_date BETWEEN ${from}::date AND ${to}::date ${filterSql(filter)}
         GROUP BY 1
         ORDER BY 1`;
      const range = Prisma.sql`BETWEEN ${from}::date AND ${to}::date`;
      const [patients, visits, examinations, invoices, payments, supply] = await Promise.all([
        // Distinct patients behind the period's figures (an imported visit counts as a patient of its own).
        byPeriod(
          prisma.$queryRaw<{ period: Date; patients: number }[]>`
            SELECT period, count(DISTINCT who)::int AS patients FROM (
              SELECT date_trunc(${trunc}, f.visit_date)::date AS period, COALESCE(f.patient_key, f.appointment_key) AS who
                FROM analytics.appointment_facts f WHERE f.visit_date ${range} ${filterSql(filter)}
              UNION ALL
              SELECT date_trunc(${trunc}, v.visit_date)::date, v.patient_key
                FROM analytics.visit_facts v LEFT JOIN analytics.appointment_facts a ON a.appointment_key = v.appointment_key
               WHERE v.visit_date ${range} ${filterSql(filter, VISIT_COLUMNS)}
              UNION ALL
              SELECT date_trunc(${trunc}, i.visit_date)::date, i.patient_key
                FROM analytics.invoice_facts i LEFT JOIN analytics.appointment_facts a ON a.appointment_key = i.appointment_key
               WHERE i.visit_date ${range} ${filterSql(filter, INVOICE_COLUMNS)}
            ) counted GROUP BY period`,
        ),
        byPeriod(
          prisma.$queryRaw<{ period: Date; wait_minutes: number | null }[]>`
            SELECT date_trunc(${trunc}, v.visit_date)::date AS period,
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM v.started_at - v.registered_at) / 60)
                     FILTER (WHERE v.started_at IS NOT NULL AND v.registered_at IS NOT NULL) AS wait_minutes
              FROM analytics.visit_facts v LEFT JOIN analytics.appointment_facts a ON a.appointment_key = v.appointment_key
             WHERE v.visit_date ${range} ${filterSql(filter, VISIT_COLUMNS)}
             GROUP BY 1`,
        ),
        byPeriod(
          prisma.$queryRaw<{ period: Date; turnaround_hours: number | null; review_hours: number | null }[]>`
            SELECT date_trunc(${trunc}, e.visit_date)::date AS period,
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM e.performed_at - e.ordered_at) / 3600)
                     FILTER (WHERE e.performed_at IS NOT NULL) AS turnaround_hours,
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM e.reviewed_at - e.performed_at) / 3600)
                     FILTER (WHERE e.reviewed_at IS NOT NULL AND e.performed_at IS NOT NULL) AS review_hours
              FROM analytics.examination_facts e
             WHERE e.visit_date ${range} ${filterSql(filter, EXAMINATION_COLUMNS)}
             GROUP BY 1`,
        ),
        // Invoiced: invoices less credit notes (negative). Outstanding: open invoices' totals less what their
        // payments applied (a voided invoice asks nothing).
        byPeriod(
          prisma.$queryRaw<{ period: Date; invoiced: bigint; outstanding: bigint }[]>`
            SELECT date_trunc(${trunc}, i.visit_date)::date AS period,
                   COALESCE(sum(i.total_minor), 0) AS invoiced,
                   COALESCE(sum(i.total_minor - COALESCE(paid.applied, 0)) FILTER (WHERE i.kind = 'INVOICE' AND NOT i.voided), 0) AS outstanding
              FROM analytics.invoice_facts i
              LEFT JOIN analytics.appointment_facts a ON a.appointment_key = i.appointment_key
              LEFT JOIN LATERAL (SELECT sum(p.applied_minor) AS applied FROM analytics.payment_facts p WHERE p.invoice_key = i.invoice_key) paid ON true
             WHERE i.visit_date ${range} ${filterSql(filter, INVOICE_COLUMNS)}
             GROUP BY 1`,
        ),
        // Collected: money in less money out, on the day of the visit paid for (a prepayment: its appointment's).
        byPeriod(
          prisma.$queryRaw<{ period: Date; collected: bigint }[]>`
            SELECT date_trunc(${trunc}, COALESCE(i.visit_date, a.visit_date))::date AS period, COALESCE(sum(p.cash_minor), 0) AS collected
              FROM analytics.payment_facts p
              LEFT JOIN analytics.invoice_facts i ON i.invoice_key = p.invoice_key
              LEFT JOIN analytics.appointment_facts a ON a.appointment_key = COALESCE(p.appointment_key, i.appointment_key)
             WHERE COALESCE(i.visit_date, a.visit_date) ${range} ${filterSql(filter, PAYMENT_COLUMNS)}
             GROUP BY 1`,
        ),
        // Offered time is per doctor, not per service.
        filter.serviceId != null
          ? Promise.resolve(null)
          : byPeriod(
              prisma.$queryRaw<{ period: Date; offered: number }[]>`
                SELECT date_trunc(${trunc}, s.day)::date AS period, sum(s.offered_minutes)::float8 AS offered
                  FROM analytics.supply_facts s
                 WHERE s.day ${range} ${filterSql(filter, SUPPLY_COLUMNS)}
                 GROUP BY 1`,
            ),
      ]);
      const appointments = new Map(rows.map((row) => [row.period.toISOString().slice(0, 10), row]));
      const periods = [
        ...new Set([
          ...appointments.keys(),
          ...patients.keys(),
          ...visits.keys(),
          ...examinations.keys(),
          ...invoices.keys(),
          ...payments.keys(),
          ...(supply?.keys() ?? []),
        ]),
      ].sort();
      return periods.map((period): PeriodCounts => {
        const row = appointments.get(period);
        const examination = examinations.get(period);
        const invoice = invoices.get(period);
        return {
          period,
          patients: patients.get(period)?.patients ?? 0,
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
          medianWaitMinutes: visits.get(period)?.wait_minutes ?? null,
          medianExamTurnaroundHours: examination?.turnaround_hours ?? null,
          medianReviewHours: examination?.review_hours ?? null,
          invoicedMinor: Number(invoice?.invoiced ?? 0) + (row?.imported_minor ?? 0),
          collectedMinor: Number(payments.get(period)?.collected ?? 0),
          outstandingMinor: Number(invoice?.outstanding ?? 0),
          bookedMinutes: row?.booked_minutes ?? 0,
          offeredMinutes: supply ? (supply.get(period)?.offered ?? 0) : null,
        };
      });
    },
  };
}
