/**
 * Transactional outbox: every state change writes its event in the same transaction (ARCHITECTURE §3).
 * The relay to the event bus comes with issue 4; until then the rows wait in scheduling.outbox.
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

export async function recordEvent(tx: Tx, type: AppointmentEventType, payload: AppointmentEventPayload, occurredAt: Date): Promise<void> {
  await tx.outboxEvent.create({ data: { id: randomUUID(), aggregateId: payload.appointmentId, type, payload: payload as object, occurredAt } });
}
