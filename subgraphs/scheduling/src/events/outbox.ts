/**
 * Transactional outbox: every state change writes its event in the same transaction (the Outbox port of
 * domain/ports.ts, reached as `tx.outbox`). The relay (packages/events) moves the rows to the event bus, woken by
 * the NOTIFY sent at commit.
 */
import { randomUUID } from "node:crypto";
import type { Sql } from "@clinigraph/platform";
import type { AppointmentEventData } from "@clinigraph/events";
import type { Outbox } from "../domain/ports.js";
import { outboxChannel } from "@clinigraph/events";

/** The relay LISTENs here; PostgreSQL delivers the notification when the transaction commits. */
export const OUTBOX_CHANNEL = outboxChannel("scheduling");

/** The outbox of one transaction: `append` keeps the events; `flush` writes them before the transaction commits. */
export interface TransactionOutbox extends Outbox {
  flush(): Promise<void>;
}

/**
 * The outbox of one transaction. Events are kept as they are appended and written by `flush`, which the unit of work
 * calls once, just before COMMIT: all of the transaction's events in one statement, in the order they were appended
 * (the relay publishes by sequence), which also wakes the relay (no extra round trip). Nothing in a transaction reads
 * the outbox, so writing it last changes nothing but the number of round trips; a failing write still rolls the whole
 * transaction back. Each payload gains `doctorUserId` from scheduling's doctor snapshot in the same statement:
 * accounts keys care relationships by the doctor's user (ADR 0011).
 */
export function createOutbox(tx: Sql): TransactionOutbox {
  let pending: { type: string; payload: AppointmentEventData; occurredAt: Date }[] = [];
  return {
    async append(type, payload, occurredAt) {
      pending.push({ type, payload, occurredAt });
    },
    async flush() {
      if (pending.length === 0) return;
      const events = pending;
      pending = [];
      await tx.query(
        `WITH appended AS (
           INSERT INTO scheduling.outbox (id, aggregate_id, type, payload, occurred_at)
           SELECT e.id, e.aggregate_id, e.type,
             e.payload || COALESCE((SELECT jsonb_build_object('doctorUserId', p.user_id) FROM scheduling.doctor_profiles p WHERE p.doctor_id = e.doctor_id), '{}'::jsonb),
             e.occurred_at
           FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::jsonb[], $5::uuid[], $6::timestamptz[]) WITH ORDINALITY
             AS e(id, aggregate_id, type, payload, doctor_id, occurred_at, ord)
           ORDER BY e.ord
           RETURNING 1)
         SELECT pg_notify($7, '') WHERE EXISTS (SELECT 1 FROM appended)`,
        [
          events.map(() => randomUUID()),
          events.map((e) => e.payload.appointmentId),
          events.map((e) => e.type),
          events.map((e) => JSON.stringify(e.payload)),
          events.map((e) => e.payload.doctorId),
          events.map((e) => e.occurredAt),
          OUTBOX_CHANNEL,
        ],
      );
    },
  };
}
