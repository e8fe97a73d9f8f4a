/**
 * Clinical's transactional outbox (as scheduling's, ARCHITECTURE §3): every state change writes its event
 * in the same transaction; the relay moves the rows to the bus, woken by the NOTIFY sent at commit.
 * Payloads carry ids and statuses only — never clinical text.
 */
import { randomUUID } from "node:crypto";
import type { EncounterEventData, EncounterEventType, ExaminationEventData, ExaminationEventType } from "@clinigraph/events";
import type { Tx } from "../data/prisma.js";
import type { Encounter, Examination } from "../domain/types.js";

export const OUTBOX_CHANNEL = "clinigraph_outbox_clinical";

export const encounterPayload = (e: Encounter, actorId: string | null, pendingExaminations: number): EncounterEventData => ({
  encounterId: e.id,
  patientId: e.patientId,
  doctorId: e.doctorId,
  doctorUserId: e.doctorUserId,
  appointmentId: e.appointmentId,
  status: e.status,
  actorId,
  pendingExaminations,
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

export async function recordEvent(
  tx: Tx,
  type: EncounterEventType | ExaminationEventType,
  payload: EncounterEventData | ExaminationEventData,
  occurredAt: Date,
): Promise<void> {
  await tx.outboxEvent.create({ data: { id: randomUUID(), aggregateId: payload.encounterId, type, payload: { ...payload }, occurredAt } });
  await tx.$executeRaw`SELECT pg_notify(${OUTBOX_CHANNEL}, '')`;
}
