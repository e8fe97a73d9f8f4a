import { unsealOptional as unseal, type FieldCipher } from "@clinigraph/platform";
import type { Appointment, AppointmentChange, Slot, WaitlistEntry } from "../domain/types.js";
import type { Prisma } from "./prisma.js";

export type AppointmentRow = Prisma.AppointmentGetPayload<object>;
type SlotRow = Prisma.SlotGetPayload<object>;
type ChangeRow = Prisma.AppointmentChangeGetPayload<object>;
type WaitlistRow = Prisma.WaitlistEntryGetPayload<object>;

/** The cipher in force (read at each call: a key rotation switches it while the process runs). */
export type CipherSource = () => FieldCipher;

/**
 * Free text a patient or clinician typed (reasons, feedback comments) is PHI: it is stored only sealed
 * (`*_enc` columns, `v1.<kid>.…`, ADR 3). Every write goes through `seal`, every read through `unseal`.
 */
export { sealOptional as seal, unsealOptional as unseal } from "@clinigraph/platform";

export const toAppointment = (row: AppointmentRow, cipher: FieldCipher): Appointment => ({
  id: row.id,
  patientId: row.patientId,
  doctorId: row.doctorId,
  serviceId: row.serviceId,
  slotId: row.slotId,
  startsAt: row.startsAt,
  endsAt: row.endsAt,
  status: row.status,
  reason: unseal(cipher, row.reasonEnc),
  holdExpiresAt: row.holdExpiresAt,
  overbooked: row.overbooked,
  needsAttention: row.needsAttention,
  feedbackRating: row.feedbackRating,
  feedbackComment: unseal(cipher, row.feedbackCommentEnc),
  feedbackAt: row.feedbackAt,
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
});

/** One history entry as the API shows it: the reason opened. */
export const toChange = (row: ChangeRow, cipher: FieldCipher): AppointmentChange => ({
  id: row.id,
  appointmentId: row.appointmentId,
  at: row.at,
  actorId: row.actorId,
  actorRole: row.actorRole,
  action: row.action,
  fromStatus: row.fromStatus,
  toStatus: row.toStatus,
  fromStartsAt: row.fromStartsAt,
  toStartsAt: row.toStartsAt,
  reason: unseal(cipher, row.reasonEnc),
});

export const toSlot = (row: SlotRow): Slot => ({
  id: row.id,
  doctorId: row.doctorId,
  startsAt: row.startsAt,
  endsAt: row.endsAt,
  status: row.status,
  specialtyCode: row.specialtyCode,
  location: row.location,
});

export const toWaitlistEntry = (row: WaitlistRow): WaitlistEntry => ({
  id: row.id,
  patientId: row.patientId,
  doctorId: row.doctorId,
  serviceId: row.serviceId,
  from: row.from,
  to: row.to,
  status: row.status,
  offeredAppointmentId: row.offeredAppointmentId,
  createdAt: row.createdAt,
});
