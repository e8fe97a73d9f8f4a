/**
 * Transactional outbox: every state change writes its event in the same transaction (ARCHITECTURE §3).
 * The relay (packages/events) moves the rows to the event bus, woken by the NOTIFY sent at commit.
 */
import { randomUUID } from "node:crypto";
import type { Tx } from "../data/prisma.js";
import type { Appointment } from "../domain/types.js";
import type { AppointmentEventData, AppointmentEventType } from "@clinigraph/events";

/** Event types and payloads are defined once, in the catalogue of @clinigraph/events. */
export type { AppointmentEventType } from "@clinigraph/events";
export type AppointmentEventPayload = AppointmentEventData;

export function appointmentPayload(appointment: Appointment, actorId: string | null, extra: Partial<AppointmentEventPayload> = {}): AppointmentEventPayload {
  return {
    appointmentId: appointment.id,
    patientId: appointment.patientId,
    doctorId: appointment.doctorId,
    serviceId: appointment.serviceId,
    status: appointment.status,
    startsAt: appointment.startsAt.toISOString(),
    endsAt: appointment.endsAt.toISOString(),
    actorId,
    ...extra,
  };
}

/** The relay LISTENs here; PostgreSQL delivers the notification when the transaction commits. */
export const OUTBOX_CHANNEL = "clinigraph_outbox_scheduling";

/**
 * Writes the event to the outbox. The payload gains `doctorUserId` from scheduling's doctor snapshot in
 * the same statement (no extra round trip): accounts keys care relationships by the doctor's user (ADR 0011).
 */
export async function recordEvent(tx: Tx, type: AppointmentEventType, payload: AppointmentEventPayload, occurredAt: Date): Promise<void> {
  await tx.$executeRaw`
    INSERT INTO scheduling.outbox (id, aggregate_id, type, payload, occurred_at)
    SELECT ${randomUUID()}::uuid, ${payload.appointmentId}::uuid, ${type}::text,
      ${JSON.stringify(payload)}::jsonb
        || COALESCE((SELECT jsonb_build_object('doctorUserId', p.user_id) FROM scheduling.doctor_profiles p WHERE p.doctor_id = ${payload.doctorId}::uuid), '{}'::jsonb),
      ${occurredAt}::timestamptz`;
  await tx.$executeRaw`SELECT pg_notify(${OUTBOX_CHANNEL}, '')`;
}
