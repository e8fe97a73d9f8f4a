/**
 * Transactional outbox: every state change writes its event in the same transaction (ARCHITECTURE §3).
 * The relay (packages/events) moves the rows to the event bus, woken by the NOTIFY sent at commit.
 */
import { randomUUID } from "node:crypto";
import type { Tx } from "../data/prisma.js";
import type { Appointment } from "../domain/types.js";

export const APPOINTMENT_EVENT_TYPES = [
  "AppointmentRequested",
  "AppointmentBooked",
  "AppointmentRejected",
  "AppointmentRescheduled",
  "AppointmentCancelled",
  "AppointmentExpired",
  "PatientCheckedIn",
  "AppointmentNoShow",
  "AppointmentFulfilled",
  "AppointmentOverbooked",
  "FeedbackSubmitted",
] as const;
export type AppointmentEventType = (typeof APPOINTMENT_EVENT_TYPES)[number];

export interface AppointmentEventPayload {
  appointmentId: string;
  patientId: string;
  doctorId: string;
  serviceId: string | null;
  status: string;
  startsAt: string;
  endsAt: string;
  previousStartsAt?: string;
  reason?: string | null;
  actorId: string | null;
  rating?: number;
}

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

export async function recordEvent(tx: Tx, type: AppointmentEventType, payload: AppointmentEventPayload, occurredAt: Date): Promise<void> {
  await tx.outboxEvent.create({ data: { id: randomUUID(), aggregateId: payload.appointmentId, type, payload: payload as object, occurredAt } });
  await tx.$executeRaw`SELECT pg_notify(${OUTBOX_CHANNEL}, '')`;
}
