/**
 * The ledger in PostgreSQL (notifications.deliveries), in hand-written SQL. The scheduler's claim is one statement:
 * due rows (SCHEDULED, or SENDING whose lease ran out) are locked with FOR UPDATE SKIP LOCKED — a second scheduler
 * skips them instead of waiting — and become SENDING under a lease, their attempts counted. Outcomes are written only
 * while the row is still SENDING, so a reminder cancelled mid-send stays CANCELLED.
 */
import type { Sql } from "@clinigraph/platform";
import type { AccountMessageLog, DeliveryFilter, DeliveryRepository, PlannedDelivery } from "../domain/ports.js";
import type { Delivery, DeliveryStatus, NewDelivery } from "../domain/types.js";

/** The columns of a delivery, named as the domain names them. */
export const DELIVERY_COLUMNS = `id, recipient_id AS "recipientId", kind, channel, appointment_id AS "appointmentId", offset_minutes AS "offsetMinutes",
  starts_at AS "startsAt", facts, due_at AS "dueAt", status, attempts, last_error AS "lastError", subject,
  provider_message_id AS "providerMessageId", sent_at AS "sentAt", created_at AS "createdAt", updated_at AS "updatedAt"`;

/** A row of DELIVERY_COLUMNS as node-postgres returns it: the domain record with its enumerations and JSON untyped. */
export type DeliveryRow = Omit<Delivery, "channel" | "status" | "facts"> & { channel: string; status: string; facts: unknown };

/** The statements name their columns as the domain does; channel, status and facts hold only what this service wrote. */
const toDelivery = (row: DeliveryRow): Delivery => row as Delivery;

/**
 * Inserts the deliveries given as a JSON array (`deliveriesJson`: PlannedDelivery objects as JSON.stringify writes
 * them, times in ISO 8601) at `now`, leaving out those whose dedupe key is in the ledger. Ids are made by PostgreSQL.
 * One parameter for the whole list: cheaper for the client to write than a column array per field.
 */
export const insertDeliveries = (deliveriesJson: string, now: string) => `
  INSERT INTO notifications.deliveries (id, dedupe_key, recipient_id, kind, channel, appointment_id, offset_minutes, starts_at, facts, due_at,
                                        status, created_at, updated_at)
  SELECT gen_random_uuid(), n."dedupeKey", n."recipientId", n.kind, n.channel, n."appointmentId", n."offsetMinutes", n."startsAt", n.facts, n."dueAt",
         n.status, ${now}::timestamptz, ${now}::timestamptz
    FROM json_to_recordset(${deliveriesJson}::json) AS n("dedupeKey" text, "recipientId" uuid, kind text, channel text, "appointmentId" uuid,
                                                       "offsetMinutes" integer, "startsAt" timestamptz, facts jsonb, "dueAt" timestamptz, status text)
  ON CONFLICT DO NOTHING`;

export function createDeliveryRepository(db: Sql): DeliveryRepository {
  const finish = async (id: string, set: string, values: readonly unknown[]) =>
    void (await db.query(`UPDATE notifications.deliveries SET ${set} WHERE id = $1 AND status = 'SENDING'`, [id, ...values]));
  const page = async (conditions: string[], values: unknown[], first: number, after: { createdAt: Date; id: string } | null) => {
    const where = [...conditions];
    const params = [...values];
    if (after) {
      params.push(after.createdAt, after.id);
      where.push(`(created_at, id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
    }
    params.push(first);
    const { rows } = await db.query<DeliveryRow>(
      `SELECT ${DELIVERY_COLUMNS} FROM notifications.deliveries ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
        ORDER BY created_at DESC, id DESC LIMIT $${params.length}`,
      params,
    );
    return rows.map(toDelivery);
  };
  return {
    async claimDue(now, limit, leaseMs) {
      const { rows } = await db.query<DeliveryRow>(
        `UPDATE notifications.deliveries AS d
            SET status = 'SENDING', lease_until = $2, attempts = d.attempts + 1, updated_at = $1
          WHERE d.id IN (
            SELECT id FROM notifications.deliveries
             WHERE (status = 'SCHEDULED' AND due_at <= $1) OR (status = 'SENDING' AND lease_until < $1)
             ORDER BY due_at
             LIMIT $3
             FOR UPDATE SKIP LOCKED)
        RETURNING ${DELIVERY_COLUMNS}`,
        [now, new Date(now.getTime() + leaseMs), limit],
      );
      return rows.map(toDelivery).sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
    },
    markSent: (id, outcome, now) =>
      finish(id, `status = 'SENT', subject = $2, provider_message_id = $3, sent_at = $4, lease_until = NULL, last_error = NULL, updated_at = $4`, [
        outcome.subject,
        outcome.providerMessageId,
        now,
      ]),
    markFailed: (id, error, subject, now) =>
      finish(id, `status = 'FAILED', last_error = $2, subject = COALESCE($3, subject), lease_until = NULL, updated_at = $4`, [error, subject || null, now]),
    retryLater: (id, error, dueAt, now) =>
      finish(id, `status = 'SCHEDULED', last_error = $2, due_at = $3, lease_until = NULL, updated_at = $4`, [error, dueAt, now]),
    async nextDueAt() {
      const { rows } = await db.query<{ due_at: Date }>(`SELECT due_at FROM notifications.deliveries WHERE status = 'SCHEDULED' ORDER BY due_at LIMIT 1`);
      return rows[0]?.due_at ?? null;
    },
    async overdue(now) {
      const { rows } = await db.query<{ count: number; oldest: Date | null }>(
        `SELECT count(*)::int AS count, min(due_at) AS oldest FROM notifications.deliveries WHERE status = 'SCHEDULED' AND due_at <= $1`,
        [now],
      );
      return { count: rows[0]!.count, oldestDueAt: rows[0]!.oldest };
    },
    listForRecipient: (userId, first, after) => page(["recipient_id = $1"], [userId], first, after),
    list(filter: DeliveryFilter, first, after) {
      const conditions: string[] = [];
      const values: unknown[] = [];
      const where = (condition: (param: string) => string, value: unknown) => {
        values.push(value);
        conditions.push(condition(`$${values.length}`));
      };
      if (filter.recipientId) where((p) => `recipient_id = ${p}::uuid`, filter.recipientId);
      if (filter.appointmentId) where((p) => `appointment_id = ${p}::uuid`, filter.appointmentId);
      if (filter.kind) where((p) => `kind = ${p}`, filter.kind);
      if (filter.channel) where((p) => `channel = ${p}`, filter.channel);
      // A delivery in flight is still "scheduled" to anyone reading the log.
      if (filter.status) where((p) => `status = ANY (${p}::text[])`, filter.status === "SCHEDULED" ? ["SCHEDULED", "SENDING"] : [filter.status]);
      if (filter.from) where((p) => `created_at >= ${p}`, filter.from);
      if (filter.to) where((p) => `created_at <= ${p}`, filter.to);
      return page(conditions, values, first, after);
    },
    async remindersOf(appointmentId) {
      const { rows } = await db.query<DeliveryRow>(
        `SELECT ${DELIVERY_COLUMNS} FROM notifications.deliveries WHERE appointment_id = $1 AND kind = 'APPOINTMENT_REMINDER' ORDER BY due_at, channel`,
        [appointmentId],
      );
      return rows.map(toDelivery);
    },
  };
}

/** The ledger's writes inside an event's transaction. */
export function createTransactionDeliveries(tx: Sql) {
  return {
    async add(deliveries: readonly NewDelivery[], now: Date) {
      if (deliveries.length === 0) return 0;
      const planned = deliveries.map((delivery): PlannedDelivery => ({ ...delivery, status: "SCHEDULED" }));
      const { rowCount } = await tx.query(insertDeliveries("$1", "$2"), [JSON.stringify(planned), now]);
      return rowCount ?? 0;
    },
  };
}

/**
 * Account messages sent at once (domain/accountMessages.ts). Their entries have no lease (`lease_until` NULL), so the
 * scheduler never claims them: only a request with the same dedupe key takes a failed or stale one over. Their facts
 * say only that they were sent at once: nothing the message could be written (or its code recovered) from.
 */
export function createAccountMessageLog(db: Sql): AccountMessageLog {
  const finish = async (id: string, set: string, values: readonly unknown[]) =>
    void (await db.query(`UPDATE notifications.deliveries SET ${set} WHERE id = $1 AND status = 'SENDING'`, [id, ...values]));
  return {
    async claim(entry, now, staleBefore) {
      const { rows } = await db.query<{ id: string; status: DeliveryStatus; attempts: number }>(
        `INSERT INTO notifications.deliveries (id, dedupe_key, recipient_id, kind, channel, facts, due_at, status, attempts, created_at, updated_at)
         VALUES (gen_random_uuid(), $1, $2::uuid, $3, 'EMAIL', '{"sentAtOnce": true}'::jsonb, $4, 'SENDING', 1, $4, $4)
         ON CONFLICT (dedupe_key) DO UPDATE
            SET status = 'SENDING', attempts = deliveries.attempts + 1, last_error = NULL, due_at = $4, updated_at = $4
          WHERE deliveries.kind = EXCLUDED.kind AND deliveries.recipient_id = EXCLUDED.recipient_id AND deliveries.lease_until IS NULL
            AND (deliveries.status = 'FAILED' OR (deliveries.status = 'SENDING' AND deliveries.updated_at < $5))
         RETURNING id, status, attempts`,
        [entry.dedupeKey, entry.recipientId, entry.kind, now, staleBefore],
      );
      if (rows[0]) return { ...rows[0], claimed: true, mismatch: false };
      const existing = await db.query<{ id: string; status: DeliveryStatus; kind: string; recipientId: string; attempts: number }>(
        `SELECT id, status, kind, recipient_id AS "recipientId", attempts FROM notifications.deliveries WHERE dedupe_key = $1`,
        [entry.dedupeKey],
      );
      const row = existing.rows[0];
      if (!row) throw new Error("notifications: an account message's log entry vanished while it was claimed");
      return {
        id: row.id,
        claimed: false,
        status: row.status,
        attempts: row.attempts,
        mismatch: row.kind !== entry.kind || row.recipientId !== entry.recipientId,
      };
    },
    markSent: (id, outcome, now) =>
      finish(id, `status = 'SENT', subject = $2, provider_message_id = $3, sent_at = $4, last_error = NULL, updated_at = $4`, [
        outcome.subject,
        outcome.providerMessageId,
        now,
      ]),
    markFailed: (id, error, subject, now) =>
      finish(id, `status = 'FAILED', last_error = $2, subject = COALESCE($3, subject), updated_at = $4`, [error, subject || null, now]),
  };
}
