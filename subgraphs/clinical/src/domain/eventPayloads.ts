/** The payloads of clinical's events: ids and statuses only, never clinical text. */
import type { EncounterEventData, ExaminationEventData } from "@clinigraph/events";
import type { Encounter, Examination } from "./types.js";

export const encounterPayload = (e: Encounter, actorId: string | null, pendingExaminations: number): EncounterEventData => ({
  encounterId: e.id,
  patientId: e.patientId,
  doctorId: e.doctorId,
  doctorUserId: e.doctorUserId,
  appointmentId: e.appointmentId,
  status: e.status,
  actorId,
  pendingExaminations,
  arrivedAt: e.arrivedAt.toISOString(),
});

/** `pendingExaminations`: the encounter's examinations still ORDERED after the change (its pending work). */
export const examinationPayload = (
  x: Examination,
  e: Pick<Encounter, "doctorId" | "doctorUserId">,
  actorId: string | null,
  pendingExaminations: number,
): ExaminationEventData => ({
  examinationId: x.id,
  encounterId: x.encounterId,
  patientId: x.patientId,
  doctorId: e.doctorId,
  doctorUserId: e.doctorUserId,
  serviceId: x.serviceId,
  status: x.status,
  actorId,
  orderedAt: x.orderedAt.toISOString(),
  pendingExaminations,
});
