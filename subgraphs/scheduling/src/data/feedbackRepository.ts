/**
 * Ratings and comments of appointments (the feedback columns of `appointments`) and the moderation of comments
 * (`feedback_moderation`: one row per hidden comment, its reason sealed). Summaries and lists read the partial
 * indexes over submitted feedback (`appointments_feedback_by_doctor`, `…_by_service`, `…_by_time`): only rated
 * appointments are in them, with the rating included, so a summary is an index-only scan of the rated rows.
 */
import type { Sql } from "@clinigraph/platform";
import type { FeedbackComment, FeedbackModeration } from "../domain/feedbackModeration.js";
import type { FeedbackRange, FeedbackRepository } from "../domain/ports.js";
import { seal, unseal, type CipherSource } from "./mappers.js";

interface ModerationRow {
  appointment_id: string;
  hidden_at: Date;
  hidden_by: string;
  hidden_reason_enc: string;
}

interface CommentRow {
  id: string;
  patient_id: string;
  doctor_id: string;
  service_id: string | null;
  feedback_rating: number;
  feedback_comment_enc: string;
  feedback_at: Date;
  hidden_at: Date | null;
  hidden_by: string | null;
  hidden_reason_enc: string | null;
}

/** `WHERE` of rated appointments in a range (and more conditions), its values appended to `values`. */
function ratedWhere(range: FeedbackRange, values: unknown[], more: string[] = []): string {
  const where = ["a.feedback_at IS NOT NULL", ...more];
  if (range.from) {
    values.push(range.from);
    where.push(`a.feedback_at >= $${values.length}`);
  }
  if (range.to) {
    values.push(range.to);
    where.push(`a.feedback_at < $${values.length}`);
  }
  return where.join(" AND ");
}

/** Conditions (into `more`, parameters into `values`) for the doctor and the service a read is narrowed to, if any. */
function ofDoctorAndService(filter: { doctorId?: string | null; serviceId?: string | null }, values: unknown[], more: string[]): void {
  if (filter.doctorId) {
    values.push(filter.doctorId);
    more.push(`a.doctor_id = $${values.length}`);
  }
  if (filter.serviceId) {
    values.push(filter.serviceId);
    more.push(`a.service_id = $${values.length}`);
  }
}

/** Counts per rating 1..5 from (rating, n) rows. */
function countsOf(rows: readonly { rating: number; n: number }[]): number[] {
  const counts = [0, 0, 0, 0, 0];
  for (const row of rows) if (row.rating >= 1 && row.rating <= 5) counts[row.rating - 1]! += row.n;
  return counts;
}

export function createFeedbackRepository(db: Sql, cipher: CipherSource): FeedbackRepository {
  const toModeration = (row: ModerationRow): FeedbackModeration => ({
    appointmentId: row.appointment_id,
    hiddenAt: row.hidden_at,
    hiddenBy: row.hidden_by,
    hiddenReason: unseal(cipher(), row.hidden_reason_enc) ?? "",
  });
  return {
    async ratingCounts({ doctorId, serviceId, ...range }) {
      const values: unknown[] = [];
      const more: string[] = [];
      ofDoctorAndService({ doctorId, serviceId }, values, more);
      const { rows } = await db.query<{ rating: number; n: number }>(
        `SELECT a.feedback_rating AS rating, count(*)::int AS n FROM scheduling.appointments a
         WHERE ${ratedWhere(range, values, more)} GROUP BY a.feedback_rating`,
        values,
      );
      return countsOf(rows);
    },
    async ratingCountsBy(group, range) {
      const column = group === "doctor" ? "a.doctor_id" : "a.service_id";
      const values: unknown[] = [];
      const { rows } = await db.query<{ key: string | null; rating: number; n: number }>(
        `SELECT ${column} AS key, a.feedback_rating AS rating, count(*)::int AS n FROM scheduling.appointments a
         WHERE ${ratedWhere(range, values)} GROUP BY ${column}, a.feedback_rating`,
        values,
      );
      const byKey = new Map<string | null, { rating: number; n: number }[]>();
      for (const row of rows) byKey.set(row.key, [...(byKey.get(row.key) ?? []), row]);
      return [...byKey].map(([key, ratings]) => ({ key, counts: countsOf(ratings) }));
    },
    async comments({ doctorId, serviceId, includeHidden, after, take }) {
      const values: unknown[] = [take];
      const more = ["a.feedback_comment_enc IS NOT NULL"];
      ofDoctorAndService({ doctorId, serviceId }, values, more);
      if (!includeHidden) more.push("m.appointment_id IS NULL");
      if (after) {
        values.push(after.submittedAt, after.appointmentId);
        more.push(`(a.feedback_at, a.id) < ($${values.length - 1}, $${values.length}::uuid)`);
      }
      const { rows } = await db.query<CommentRow>(
        `SELECT a.id, a.patient_id, a.doctor_id, a.service_id, a.feedback_rating, a.feedback_comment_enc, a.feedback_at,
                m.hidden_at, m.hidden_by, m.hidden_reason_enc
         FROM scheduling.appointments a LEFT JOIN scheduling.feedback_moderation m ON m.appointment_id = a.id
         WHERE ${ratedWhere({ from: null, to: null }, values, more)}
         ORDER BY a.feedback_at DESC, a.id DESC LIMIT $1`,
        values,
      );
      return rows.map((row): FeedbackComment => ({
        appointmentId: row.id,
        patientId: row.patient_id,
        doctorId: row.doctor_id,
        serviceId: row.service_id,
        rating: row.feedback_rating,
        comment: unseal(cipher(), row.feedback_comment_enc) ?? "",
        submittedAt: row.feedback_at,
        moderation:
          row.hidden_at && row.hidden_by && row.hidden_reason_enc
            ? toModeration({ appointment_id: row.id, hidden_at: row.hidden_at, hidden_by: row.hidden_by, hidden_reason_enc: row.hidden_reason_enc })
            : null,
      }));
    },
    async moderationOf(appointmentIds) {
      if (appointmentIds.length === 0) return [];
      const { rows } = await db.query<ModerationRow>(
        `SELECT appointment_id, hidden_at, hidden_by, hidden_reason_enc FROM scheduling.feedback_moderation WHERE appointment_id = ANY ($1::uuid[])`,
        [[...appointmentIds]],
      );
      return rows.map(toModeration);
    },
    async hide({ appointmentId, hiddenAt, hiddenBy, hiddenReason }) {
      const { rowCount } = await db.query(
        `INSERT INTO scheduling.feedback_moderation (appointment_id, hidden_at, hidden_by, hidden_reason_enc) VALUES ($1, $2, $3, $4)
         ON CONFLICT (appointment_id) DO NOTHING`,
        [appointmentId, hiddenAt, hiddenBy, seal(cipher(), hiddenReason)],
      );
      return rowCount === 1;
    },
    async unhide(appointmentId) {
      const { rowCount } = await db.query(`DELETE FROM scheduling.feedback_moderation WHERE appointment_id = $1`, [appointmentId]);
      return rowCount === 1;
    },
  };
}
