/**
 * Transactional outbox: every state change writes its event in the same transaction (the Outbox port of
 * domain/ports.ts, reached as `tx.outbox`). The relay (packages/events) moves the rows to the event bus, woken by
 * the NOTIFY sent at commit.
 */
import { randomUUID } from "node:crypto";
import type { Tx } from "../data/prisma.js";
import type { Outbox } from "../domain/ports.js";
import { outboxChannel } from "@clinigraph/events";

/** The relay LISTENs here; PostgreSQL delivers the notification when the transaction commits. */
export const OUTBOX_CHANNEL = outboxChannel("scheduling");

/**
 * The outbox of one transaction. The payload gains `doctorUserId` from scheduling's doctor snapshot in the same
 * statement (no extra round trip): accounts keys care relationships by the doctor's user (ADR 0011).
 */
export function createOutbox(tx: Tx): Outbox {
  return {
    async append(type, payload, occurredAt) {
      await tx.$executeRaw`
        INSERT INTO scheduling.outbox (id, aggregate_id, type, payload, occurred_at)
        SELECT ${randomUUID()}::uuid, ${payload.appointmentId}::uuid, ${type}::text,
          ${JSON.stringify(payload)}::jsonb
            || COALESCE((SELECT jsonb_build_object('doctorUserId', p.user_id) FROM scheduling.doctor_profiles p WHERE p.doctor_id = ${payload.doctorId}::uuid), '{}'::jsonb),
          ${occurredAt}::timestamptz`;
      await tx.$executeRaw`SELECT pg_notify(${OUTBOX_CHANNEL}, '')`;
    },
  };
}
