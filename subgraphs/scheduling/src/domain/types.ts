import type { Role } from "@clinigraph/platform";

export const APPOINTMENT_STATUSES = ["PENDING", "BOOKED", "REJECTED", "CHECKED_IN", "FULFILLED", "CANCELLED", "NO_SHOW", "EXPIRED"] as const;
export type AppointmentStatus = (typeof APPOINTMENT_STATUSES)[number];

/** Statuses that hold the doctor's time (the exclusion constraint covers exactly these). */
export const LIVE_STATUSES: readonly AppointmentStatus[] = ["PENDING", "BOOKED", "CHECKED_IN"];
export const isLive = (status: AppointmentStatus) => LIVE_STATUSES.includes(status);

export type AppointmentAction = "APPROVE" | "REJECT" | "RESCHEDULE" | "CANCEL" | "CHECK_IN" | "MARK_NO_SHOW" | "FULFILL" | "SUBMIT_FEEDBACK";

export interface Appointment {
  id: string;
  patientId: string;
  doctorId: string;
  serviceId: string | null;
  slotId: string | null;
  startsAt: Date;
  endsAt: Date;
  status: AppointmentStatus;
  reason: string | null;
  holdExpiresAt: Date | null;
  overbooked: boolean;
  needsAttention: boolean;
  feedbackRating: number | null;
  feedbackComment: string | null;
  feedbackAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface Slot {
  id: string;
  doctorId: string;
  startsAt: Date;
  endsAt: Date;
  status: "FREE" | "BUSY" | "BLOCKED";
  specialtyCode: string;
  location: string | null;
}

/** Who is acting, and how they relate to the appointment at hand. */
export interface Actor {
  userId: string;
  role: Role;
  /** The Doctor id when the caller is a doctor with a profile in scheduling, else null. */
  doctorId: string | null;
}

export interface SchedulingRules {
  holdMinutes: number;
  minNoticeMinutes: number;
  /** At most this many live appointments per patient with one doctor on one local day of the doctor. */
  maxPerPatientDoctorDay: number;
  horizonDays: number;
  alternativesLimit: number;
}

export const DEFAULT_RULES: SchedulingRules = { holdMinutes: 15, minNoticeMinutes: 60, maxPerPatientDoctorDay: 1, horizonDays: 56, alternativesLimit: 5 };
