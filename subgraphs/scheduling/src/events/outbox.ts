/**
 * Transactional outbox: every state change writes its event in the same transaction (the Outbox port of
 * domain/ports.ts, reached as `tx.outbox`), all of a transaction's events in one statement just before COMMIT
 * (@clinigraph/events `createTransactionOutbox`); the relay (packages/events) moves the rows to the event bus, woken
 * by the NOTIFY sent at commit.
 */
import { createTransactionOutbox, outboxChannel, type AppointmentEventData, type AppointmentEventType, type TransactionOutbox } from "@clinigraph/events";
import type { Sql } from "@clinigraph/platform";

/** The relay LISTENs here; PostgreSQL delivers the notification when the transaction commits. */
export const OUTBOX_CHANNEL = outboxChannel("scheduling");

/** The outbox of one transaction; the unit of work calls `flush` before COMMIT. */
export type SchedulingOutbox = TransactionOutbox<AppointmentEventType, AppointmentEventData>;

/**
 * Each payload gains `doctorUserId` from scheduling's doctor snapshot in the same statement (no extra round trip):
 * accounts keys care relationships by the doctor's user (ADR 0011).
 */
export const createOutbox = (tx: Sql): SchedulingOutbox =>
  createTransactionOutbox(tx, {
    service: "scheduling",
    aggregateId: (payload) => payload.appointmentId,
    payloadSql: `e.payload || COALESCE((SELECT jsonb_build_object('doctorUserId', p.user_id) FROM scheduling.doctor_profiles p WHERE p.doctor_id = (e.payload->>'doctorId')::uuid), '{}'::jsonb)`,
  });
