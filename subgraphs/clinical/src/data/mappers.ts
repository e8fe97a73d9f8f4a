import { unsealOptional as open, type FieldCipher } from "@clinigraph/platform";
import type { Encounter, Examination } from "../domain/types.js";
import type { Prisma } from "./prisma.js";

type EncounterRow = Prisma.EncounterGetPayload<object>;
type ExaminationRow = Prisma.ExaminationGetPayload<object>;

export { sealOptional as seal, unsealOptional as open } from "@clinigraph/platform";

export const toEncounter = (cipher: FieldCipher, r: EncounterRow): Encounter => ({
  id: r.id,
  patientId: r.patientId,
  doctorId: r.doctorId,
  doctorUserId: r.doctorUserId,
  appointmentId: r.appointmentId,
  status: r.status,
  arrivedAt: r.arrivedAt,
  startedAt: r.startedAt,
  endedAt: r.endedAt,
  summary: open(cipher, r.summaryEnc),
  refusalReason: open(cipher, r.refusalReasonEnc),
  outcomeConfirmedAt: r.outcomeConfirmedAt,
  version: r.version,
});

export const toExamination = (cipher: FieldCipher, r: ExaminationRow): Examination => ({
  id: r.id,
  encounterId: r.encounterId,
  patientId: r.patientId,
  serviceId: r.serviceId,
  status: r.status,
  orderedAt: r.orderedAt,
  orderedBy: r.orderedBy,
  performedAt: r.performedAt,
  performedBy: r.performedBy,
  result: open(cipher, r.resultEnc),
  cancelledAt: r.cancelledAt,
  cancelledBy: r.cancelledBy,
  cancelReason: open(cipher, r.cancelReasonEnc),
  reviewedAt: r.reviewedAt,
  version: r.version,
});
