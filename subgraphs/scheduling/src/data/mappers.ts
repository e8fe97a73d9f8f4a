/**
 * Rows of scheduling's tables as node-postgres returns them (snake_case columns; timestamptz → Date, uuid[] →
 * string[], enums → their labels) and their domain types. Each repository selects the column lists below, so a
 * row type and its statement cannot drift apart unnoticed: the integration tests read every mapped field back.
 */
import { unsealOptional as unseal, type FieldCipher } from "@clinigraph/platform";
import type { Appointment, AppointmentChange, AppointmentStatus, Slot, SlotStatus, WaitlistEntry, WaitlistStatus } from "../domain/types.js";

/** The cipher in force (read at each call: a key rotation switches it while the process runs). */
export type CipherSource = () => FieldCipher;

/**
 * Free text a patient or clinician typed (reasons, feedback comments) is PHI: it is stored only sealed
 * (`*_enc` columns, `v1.<kid>.…`, ADR 3). Every write goes through `seal`, every read through `unseal`.
 */
export { sealOptional as seal, unsealOptional as unseal } from "@clinigraph/platform";

export const APPOINTMENT_COLUMNS =
  "id, patient_id, doctor_id, service_id, slot_id, starts_at, ends_at, status, reason_enc, hold_expires_at, overbooked, needs_attention, feedback_rating, feedback_comment_enc, feedback_at, created_at, updated_at";

export interface AppointmentRow {
  id: string;
  patient_id: string;
  doctor_id: string;
  service_id: string | null;
  slot_id: string | null;
  starts_at: Date;
  ends_at: Date;
  status: AppointmentStatus;
  reason_enc: string | null;
  hold_expires_at: Date | null;
  overbooked: boolean;
  needs_attention: boolean;
  feedback_rating: number | null;
  feedback_comment_enc: string | null;
  feedback_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export const toAppointment = (row: AppointmentRow, cipher: FieldCipher): Appointment => ({
  id: row.id,
  patientId: row.patient_id,
  doctorId: row.doctor_id,
  serviceId: row.service_id,
  slotId: row.slot_id,
  startsAt: row.starts_at,
  endsAt: row.ends_at,
  status: row.status,
  reason: unseal(cipher, row.reason_enc),
  holdExpiresAt: row.hold_expires_at,
  overbooked: row.overbooked,
  needsAttention: row.needs_attention,
  feedbackRating: row.feedback_rating,
  feedbackComment: unseal(cipher, row.feedback_comment_enc),
  feedbackAt: row.feedback_at,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

export const CHANGE_COLUMNS = "id, appointment_id, at, actor_id, actor_role, action, from_status, to_status, from_starts_at, to_starts_at, reason_enc";

export interface ChangeRow {
  id: string;
  appointment_id: string;
  at: Date;
  actor_id: string | null;
  actor_role: string | null;
  action: string;
  from_status: AppointmentStatus | null;
  to_status: AppointmentStatus;
  from_starts_at: Date | null;
  to_starts_at: Date | null;
  reason_enc: string | null;
}

/** One history entry as the API shows it: the reason opened. */
export const toChange = (row: ChangeRow, cipher: FieldCipher): AppointmentChange => ({
  id: row.id,
  appointmentId: row.appointment_id,
  at: row.at,
  actorId: row.actor_id,
  actorRole: row.actor_role,
  action: row.action,
  fromStatus: row.from_status,
  toStatus: row.to_status,
  fromStartsAt: row.from_starts_at,
  toStartsAt: row.to_starts_at,
  reason: unseal(cipher, row.reason_enc),
});

export const SLOT_COLUMNS = "id, doctor_id, starts_at, ends_at, status, specialty_code, location";

export interface SlotRow {
  id: string;
  doctor_id: string;
  starts_at: Date;
  ends_at: Date;
  status: SlotStatus;
  specialty_code: string;
  location: string | null;
}

export const toSlot = (row: SlotRow & { doctor_name?: string | null }): Slot => ({
  id: row.id,
  doctorId: row.doctor_id,
  startsAt: row.starts_at,
  endsAt: row.ends_at,
  status: row.status,
  specialtyCode: row.specialty_code,
  location: row.location,
  ...(typeof row.doctor_name === "string" ? { doctorName: row.doctor_name } : {}),
});

export const WAITLIST_COLUMNS = "id, patient_id, doctor_id, service_id, from_at, to_at, status, offered_appointment_id, created_at";

export interface WaitlistRow {
  id: string;
  patient_id: string;
  doctor_id: string | null;
  service_id: string | null;
  from_at: Date;
  to_at: Date;
  status: WaitlistStatus;
  offered_appointment_id: string | null;
  created_at: Date;
}

export const toWaitlistEntry = (row: WaitlistRow): WaitlistEntry => ({
  id: row.id,
  patientId: row.patient_id,
  doctorId: row.doctor_id,
  serviceId: row.service_id,
  from: row.from_at,
  to: row.to_at,
  status: row.status,
  offeredAppointmentId: row.offered_appointment_id,
  createdAt: row.created_at,
});
