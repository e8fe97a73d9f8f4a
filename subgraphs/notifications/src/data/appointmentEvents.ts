/**
 * A block of appointment events in two statements (domain/intake.ts), inside the unit of work's transaction.
 *
 * `start`: the events are recorded as handled (the ids already there are the redeliveries); each appointment's row is
 * created from its first state if absent, and locked: an upsert whose update changes nothing, so a row another
 * transaction inserted a moment ago is waited for and locked too (a SELECT … FOR UPDATE after INSERT … DO NOTHING
 * would need a second statement); rows are taken in id order, so two blocks lock what they share in the same order;
 * and the users' preferences are read. The three answers come back as one row.
 *
 * `finish`: the changed states, the new deliveries and the reminders' reconciliation, as one statement. Its parts do
 * not see each other's rows (one snapshot): the insert leaves out keys already in the ledger, which the update
 * reconciles; the rows it inserts already have the status the reconciliation would give them.
 */
import type { Sql } from "@clinigraph/platform";
import type { AppointmentBlockOutcome, AppointmentBlockStart, AppointmentEventBlocks } from "../domain/ports.js";
import type { AppointmentState, Language, NotificationChannel } from "../domain/types.js";
import { insertDeliveries } from "./deliveryRepository.js";

/** The record type of an appointment's state given as JSON (AppointmentState as JSON.stringify writes it). */
const STATE_RECORD = `"appointmentId" uuid, "patientId" uuid, "doctorId" uuid, "doctorUserId" uuid, "serviceId" uuid, status text,
  "startsAt" timestamptz, "endsAt" timestamptz, "lastEventAt" timestamptz`;

const epochMs = (column: string) => `(extract(epoch FROM ${column}) * 1000)::bigint`;

const START = `
  WITH handled AS (
    INSERT INTO notifications.processed_events (consumer, event_id)
    SELECT $1, e.id FROM unnest($2::text[]) AS e(id)
    ON CONFLICT DO NOTHING
    RETURNING event_id),
  locked AS (
    INSERT INTO notifications.appointments AS a (appointment_id, patient_id, doctor_id, doctor_user_id, service_id, status, starts_at, ends_at, last_event_at)
    SELECT s."appointmentId", s."patientId", s."doctorId", s."doctorUserId", s."serviceId", s.status, s."startsAt", s."endsAt", s."lastEventAt"
      FROM json_to_recordset($3::json) AS s(${STATE_RECORD})
     ORDER BY s."appointmentId"
    ON CONFLICT (appointment_id) DO UPDATE SET appointment_id = excluded.appointment_id
    RETURNING a.*)
  SELECT ARRAY(SELECT event_id FROM handled) AS handled,
         (SELECT json_agg(json_build_array(appointment_id, patient_id, doctor_id, doctor_user_id, service_id, status,
                                           ${epochMs("starts_at")}, ${epochMs("ends_at")}, ${epochMs("last_event_at")}))
            FROM locked) AS appointments,
         (SELECT json_agg(json_build_array(user_id, language, channels, reminder_offsets_minutes))
            FROM notifications.preferences WHERE user_id = ANY ($4::uuid[])) AS preferences`;

/** START's one row: event ids, and JSON arrays of tuples (times in epoch milliseconds). */
interface StartRow {
  handled: string[];
  appointments: [string, string, string, string | null, string | null, string, number, number, number][] | null;
  preferences: [string, string, string[], number[]][] | null;
}

const FINISH = `
  WITH saved AS (
    UPDATE notifications.appointments AS a
       SET patient_id = s."patientId", doctor_id = s."doctorId", doctor_user_id = s."doctorUserId", service_id = s."serviceId", status = s.status,
           starts_at = s."startsAt", ends_at = s."endsAt", last_event_at = s."lastEventAt"
      FROM json_to_recordset($1::json) AS s(${STATE_RECORD})
     WHERE a.appointment_id = s."appointmentId"),
  added AS (${insertDeliveries("$2", "$3")}
    RETURNING 1),
  reconciled AS (
    UPDATE notifications.deliveries AS d
       SET status = CASE d.status WHEN 'CANCELLED' THEN 'SCHEDULED' ELSE 'CANCELLED' END,
           last_error = CASE d.status WHEN 'CANCELLED' THEN NULL ELSE d.last_error END,
           updated_at = $3::timestamptz
     WHERE d.appointment_id = ANY ($4::uuid[]) AND d.kind = 'APPOINTMENT_REMINDER'
       AND ((d.status = 'CANCELLED' AND d.due_at > $3::timestamptz AND d.dedupe_key = ANY ($5::text[]))
         OR (d.status = 'SCHEDULED' AND (d.dedupe_key <> ALL ($5::text[]) OR (d.due_at <= $3::timestamptz AND d.dedupe_key <> ALL ($6::text[])))))
    RETURNING d.status)
  SELECT (SELECT count(*) FROM added)::integer AS added, (SELECT count(*) FROM reconciled WHERE status = 'CANCELLED')::integer AS cancelled`;

export function createAppointmentEventBlocks(tx: Sql): AppointmentEventBlocks {
  return {
    async start(consumer, eventIds, states, userIds): Promise<AppointmentBlockStart> {
      const { rows } = await tx.query<StartRow>(START, [consumer, eventIds, JSON.stringify(states), userIds]);
      const row = rows[0]!;
      const stored = new Map<string, AppointmentState>();
      for (const [appointmentId, patientId, doctorId, doctorUserId, serviceId, status, startsAt, endsAt, lastEventAt] of row.appointments ?? [])
        stored.set(appointmentId, {
          appointmentId,
          patientId,
          doctorId,
          doctorUserId,
          serviceId,
          status,
          startsAt: new Date(startsAt),
          endsAt: new Date(endsAt),
          lastEventAt: new Date(lastEventAt),
        });
      const preferences = new Map(
        (row.preferences ?? []).map(([userId, language, channels, reminderOffsetsMinutes]) => [
          userId,
          { language: language as Language, channels: channels as NotificationChannel[], reminderOffsetsMinutes },
        ]),
      );
      return { unhandled: new Set(row.handled), stored, preferences };
    },
    async finish(outcome: AppointmentBlockOutcome, now) {
      const { states, deliveries, reminders } = outcome;
      const { rows } = await tx.query<{ added: number; cancelled: number }>(FINISH, [
        JSON.stringify(states),
        JSON.stringify(deliveries),
        now,
        reminders.appointmentIds,
        reminders.keep,
        reminders.keptThroughout,
      ]);
      return rows[0]!;
    },
  };
}
