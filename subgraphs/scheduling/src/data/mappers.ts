import type { Appointment, Slot } from "../domain/types.js";
import type { Prisma } from "./prisma.js";

type AppointmentRow = Prisma.AppointmentGetPayload<object>;
type SlotRow = Prisma.SlotGetPayload<object>;

export const toAppointment = (row: AppointmentRow): Appointment => ({
  id: row.id,
  patientId: row.patientId,
  doctorId: row.doctorId,
  serviceId: row.serviceId,
  slotId: row.slotId,
  startsAt: row.startsAt,
  endsAt: row.endsAt,
  status: row.status,
  reason: row.reason,
  holdExpiresAt: row.holdExpiresAt,
  overbooked: row.overbooked,
  needsAttention: row.needsAttention,
  feedbackRating: row.feedbackRating,
  feedbackComment: row.feedbackComment,
  feedbackAt: row.feedbackAt,
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
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
