/**
 * Imported visits (analytics.appointment_facts, source IMPORT). A batch is one INSERT whose rows come from a single
 * JSON parameter (`json_populate_recordset` over the table's own row type, so every column keeps its type): a few
 * thousand rows cost one round trip, one statement and so one transaction, and serialising them is one
 * `JSON.stringify`. `ON CONFLICT DO NOTHING` without a target skips a row whose appointment key or source id is
 * already stored, or comes earlier in the batch — also when two imports of one file run at once, whichever unique
 * index meets the conflict first.
 *
 * It runs on a small `pg` pool of its own, not through Prisma: Prisma's debug module keeps the arguments of its last
 * hundred calls, which for batches of a megabyte each held hundreds of megabytes for the life of the process.
 */
import pg from "pg";
import type { ImportedFactRepository } from "../domain/ports.js";
import { statusRank, type AppointmentChange } from "../domain/types.js";

/** A change as a row of analytics.appointment_facts (column names; updated_at is the database's clock). */
const row = (c: AppointmentChange) => ({
  appointment_key: c.appointmentKey,
  source: c.source,
  source_id: c.sourceId,
  patient_key: c.patientKey,
  doctor_id: c.doctorId,
  specialty_code: c.specialtyCode,
  service_id: c.serviceId,
  service_code: c.serviceCode,
  location: c.location,
  visit_date: c.visitDate,
  starts_at: c.startsAt,
  ends_at: c.endsAt,
  requested_at: c.requestedAt,
  answered_at: c.answeredAt,
  booked_at: c.bookedAt,
  checked_in_at: c.checkedInAt,
  needs_approval: c.needsApproval,
  status: c.status,
  status_at: c.statusAt,
  status_rank: statusRank(c.status),
  status_event_id: c.statusEventId,
  rating: c.rating,
  amount_minor: c.amountMinor,
  currency: c.currency,
});

const INSERT = `
  INSERT INTO analytics.appointment_facts (
    appointment_key, source, source_id, patient_key, doctor_id, specialty_code, service_id, service_code, location,
    visit_date, starts_at, ends_at, requested_at, answered_at, booked_at, checked_in_at, needs_approval,
    status, status_at, status_rank, status_event_id, rating, amount_minor, currency, updated_at)
  SELECT r.appointment_key, r.source, r.source_id, r.patient_key, r.doctor_id, r.specialty_code, r.service_id, r.service_code,
         r.location, r.visit_date, r.starts_at, r.ends_at, r.requested_at, r.answered_at, r.booked_at, r.checked_in_at,
         r.needs_approval, r.status, r.status_at, r.status_rank, r.status_event_id, r.rating, r.amount_minor, r.currency, now()
    FROM json_populate_recordset(NULL::analytics.appointment_facts, $1::json) AS r
  ON CONFLICT DO NOTHING`;

/** The repository, with its pool (opened at the first batch, two connections at most); `close` ends it. */
export function createImportedFactRepository(connectionString: string): ImportedFactRepository & { close(): Promise<void> } {
  let pool: pg.Pool | undefined;
  return {
    async insertNew(changes) {
      if (changes.length === 0) return 0;
      pool ??= new pg.Pool({ connectionString, max: 2, idleTimeoutMillis: 30_000, allowExitOnIdle: true });
      const result = await pool.query(INSERT, [JSON.stringify(changes.map(row))]);
      return result.rowCount ?? 0;
    },
    async close() {
      await pool?.end();
      pool = undefined;
    },
  };
}
