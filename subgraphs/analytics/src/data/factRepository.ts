/** Appointment facts (analytics.appointment_facts): merged from events, summed per period. */
import type { FactRepository } from "../domain/ports.js";
import { statusRank, type KpiFilter, type PeriodCounts } from "../domain/types.js";
import { Prisma } from "../generated/prisma/client.js";
import type { PrismaClient } from "./prisma.js";

const TRUNC = { DAY: "day", WEEK: "week", MONTH: "month" } as const;

/** The SQL condition of a KPI filter over facts aliased `f`. */
export function filterSql(filter: KpiFilter): Prisma.Sql {
  const parts: Prisma.Sql[] = [];
  if (filter.specialty != null) parts.push(Prisma.sql`f.specialty_code = ${filter.specialty}`);
  if (filter.doctorId != null) parts.push(Prisma.sql`f.doctor_id = ${filter.doctorId}::uuid`);
  if (filter.serviceId != null) parts.push(Prisma.sql`f.service_id = ${filter.serviceId}::uuid`);
  if (filter.location != null) parts.push(Prisma.sql`f.location = ${filter.location}`);
  return parts.length ? Prisma.sql`AND ${Prisma.join(parts, " AND ")}` : Prisma.empty;
}

export function createFactRepository(prisma: PrismaClient): FactRepository {
  return {
    async applyAppointmentChange(consumer, eventId, c) {
      await prisma.$transaction(async (tx) => {
        const { count } = await tx.processedEvent.createMany({ data: [{ consumer, eventId }], skipDuplicates: true });
        if (count === 0) return;
        // Steps: the earliest report wins (LEAST skips nulls). What the appointment is now (status, time, doctor,
        // service): the latest event's, ties broken by the step further along, then by event id — the same row whatever
        // order events arrive in.
        await tx.$executeRaw`
          INSERT INTO analytics.appointment_facts AS f (
            appointment_key, source, source_id, patient_key, doctor_id, specialty_code, service_id, service_code, location,
            visit_date, starts_at, ends_at, requested_at, answered_at, booked_at, checked_in_at, needs_approval,
            status, status_at, status_rank, status_event_id, rating, amount_minor, currency, updated_at)
          VALUES (
            ${c.appointmentKey}, ${c.source}, ${c.sourceId}, ${c.patientKey}, ${c.doctorId}::uuid, ${c.specialtyCode}, ${c.serviceId}::uuid,
            ${c.serviceCode}, ${c.location}, ${c.visitDate}::date, ${c.startsAt}, ${c.endsAt}, ${c.requestedAt}, ${c.answeredAt},
            ${c.bookedAt}, ${c.checkedInAt}, ${c.needsApproval}, ${c.status}, ${c.statusAt}, ${statusRank(c.status)}, ${c.statusEventId}, ${c.rating},
            ${c.amountMinor}, ${c.currency}, now())
          ON CONFLICT (appointment_key) DO UPDATE SET
            requested_at = LEAST(f.requested_at, EXCLUDED.requested_at),
            answered_at = LEAST(f.answered_at, EXCLUDED.answered_at),
            booked_at = LEAST(f.booked_at, EXCLUDED.booked_at),
            checked_in_at = LEAST(f.checked_in_at, EXCLUDED.checked_in_at),
            needs_approval = f.needs_approval OR EXCLUDED.needs_approval,
            rating = COALESCE(f.rating, EXCLUDED.rating),
            patient_key = CASE WHEN (EXCLUDED.status_at, EXCLUDED.status_rank, EXCLUDED.status_event_id) > (f.status_at, f.status_rank, f.status_event_id) THEN EXCLUDED.patient_key ELSE f.patient_key END,
            doctor_id = CASE WHEN (EXCLUDED.status_at, EXCLUDED.status_rank, EXCLUDED.status_event_id) > (f.status_at, f.status_rank, f.status_event_id) THEN EXCLUDED.doctor_id ELSE f.doctor_id END,
            specialty_code = CASE WHEN (EXCLUDED.status_at, EXCLUDED.status_rank, EXCLUDED.status_event_id) > (f.status_at, f.status_rank, f.status_event_id) THEN EXCLUDED.specialty_code ELSE f.specialty_code END,
            service_id = CASE WHEN (EXCLUDED.status_at, EXCLUDED.status_rank, EXCLUDED.status_event_id) > (f.status_at, f.status_rank, f.status_event_id) THEN EXCLUDED.service_id ELSE f.service_id END,
            service_code = CASE WHEN (EXCLUDED.status_at, EXCLUDED.status_rank, EXCLUDED.status_event_id) > (f.status_at, f.status_rank, f.status_event_id) THEN EXCLUDED.service_code ELSE f.service_code END,
            location = CASE WHEN (EXCLUDED.status_at, EXCLUDED.status_rank, EXCLUDED.status_event_id) > (f.status_at, f.status_rank, f.status_event_id) THEN EXCLUDED.location ELSE f.location END,
            visit_date = CASE WHEN (EXCLUDED.status_at, EXCLUDED.status_rank, EXCLUDED.status_event_id) > (f.status_at, f.status_rank, f.status_event_id) THEN EXCLUDED.visit_date ELSE f.visit_date END,
            starts_at = CASE WHEN (EXCLUDED.status_at, EXCLUDED.status_rank, EXCLUDED.status_event_id) > (f.status_at, f.status_rank, f.status_event_id) THEN EXCLUDED.starts_at ELSE f.starts_at END,
            ends_at = CASE WHEN (EXCLUDED.status_at, EXCLUDED.status_rank, EXCLUDED.status_event_id) > (f.status_at, f.status_rank, f.status_event_id) THEN EXCLUDED.ends_at ELSE f.ends_at END,
            status = CASE WHEN (EXCLUDED.status_at, EXCLUDED.status_rank, EXCLUDED.status_event_id) > (f.status_at, f.status_rank, f.status_event_id) THEN EXCLUDED.status ELSE f.status END,
            status_event_id = CASE WHEN (EXCLUDED.status_at, EXCLUDED.status_rank, EXCLUDED.status_event_id) > (f.status_at, f.status_rank, f.status_event_id) THEN EXCLUDED.status_event_id ELSE f.status_event_id END,
            status_rank = CASE WHEN (EXCLUDED.status_at, EXCLUDED.status_rank, EXCLUDED.status_event_id) > (f.status_at, f.status_rank, f.status_event_id) THEN EXCLUDED.status_rank ELSE f.status_rank END,
            status_at = GREATEST(f.status_at, EXCLUDED.status_at),
            updated_at = now()`;
      });
    },

    async periodCounts(from, to, granularity, filter) {
      const trunc = TRUNC[granularity];
      const rows = await prisma.$queryRaw<
        {
          period: Date;
          patients: number;
          requested: number;
          booked: number;
          cancelled: number;
          no_shows: number;
          fulfilled: number;
          lead_hours: number | null;
          approval_minutes: number | null;
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
               count(DISTINCT f.patient_key)::int AS patients,
               count(*) FILTER (WHERE f.requested_at IS NOT NULL OR f.source = 'IMPORT')::int AS requested,
               count(*) FILTER (WHERE f.booked_at IS NOT NULL)::int AS booked,
               count(*) FILTER (WHERE f.status = 'CANCELLED')::int AS cancelled,
               count(*) FILTER (WHERE f.status = 'NO_SHOW')::int AS no_shows,
               count(*) FILTER (WHERE f.status = 'FULFILLED')::int AS fulfilled,
               percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM f.starts_at - f.requested_at) / 3600)
                 FILTER (WHERE f.booked_at IS NOT NULL AND f.requested_at IS NOT NULL AND f.starts_at IS NOT NULL) AS lead_hours,
               percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM f.answered_at - f.requested_at) / 60)
                 FILTER (WHERE f.needs_approval AND f.answered_at IS NOT NULL) AS approval_minutes,
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
      return rows.map((row): PeriodCounts => ({
        period: row.period.toISOString().slice(0, 10),
        patients: row.patients,
        requested: row.requested,
        booked: row.booked,
        cancelled: row.cancelled,
        noShows: row.no_shows,
        fulfilled: row.fulfilled,
        medianLeadTimeHours: row.lead_hours,
        medianApprovalMinutes: row.approval_minutes,
        feedbackCount: row.feedback_count,
        feedbackSum: row.feedback_sum,
        feedbackDistribution: [row.r1, row.r2, row.r3, row.r4, row.r5],
      }));
    },
  };
}
