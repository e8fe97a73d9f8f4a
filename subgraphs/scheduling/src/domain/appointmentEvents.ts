/** The payload of scheduling's appointment events (types and payloads are declared once, in @clinigraph/events' catalogue). */
import type { AppointmentEventData } from "@clinigraph/events";
import type { Appointment } from "./types.js";

export type { AppointmentEventData, AppointmentEventType } from "@clinigraph/events";

export function appointmentPayload(appointment: Appointment, actorId: string | null, extra: Partial<AppointmentEventData> = {}): AppointmentEventData {
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
