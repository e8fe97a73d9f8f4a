/**
 * Facts (analytics.appointment_facts, visit_facts, examination_facts, invoice_facts, payment_facts): merged from
 * events so that duplicates and any order of arrival give the same rows, and summed per period (kpiCounts.ts).
 */
import type { FactRepository } from "../domain/ports.js";
import { statusRank, type ExaminationChange } from "../domain/types.js";
import { Prisma } from "../generated/prisma/client.js";
import { countFacts } from "./kpiCounts.js";
import type { PrismaClient, Tx } from "./prisma.js";

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
      return (await countFacts(prisma, from, to, granularity, { filter }, true)).map(({ counts }) => counts);
    },
  };
}
