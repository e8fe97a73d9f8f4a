import type { Role } from "@clinigraph/platform";

export const APPOINTMENT_STATUSES = ["PENDING", "BOOKED", "REJECTED", "CHECKED_IN", "FULFILLED", "CANCELLED", "NO_SHOW", "EXPIRED"] as const;
export type AppointmentStatus = (typeof APPOINTMENT_STATUSES)[number];

/** Statuses that hold the doctor's time (the exclusion constraint covers exactly these). */
export const LIVE_STATUSES: readonly AppointmentStatus[] = ["PENDING", "BOOKED", "CHECKED_IN"];
export const isLive = (status: AppointmentStatus) => LIVE_STATUSES.includes(status);

/** What a caller may do to an appointment (the schema's AppointmentAction enum). */
export const APPOINTMENT_ACTIONS = ["APPROVE", "REJECT", "RESCHEDULE", "CANCEL", "CHECK_IN", "MARK_NO_SHOW", "FULFILL", "SUBMIT_FEEDBACK"] as const;
export type AppointmentAction = (typeof APPOINTMENT_ACTIONS)[number];

/** A history entry's `action`: the caller's actions, and what the system or a booking does on its own. */
export type HistoryAction =
  | Exclude<AppointmentAction, "SUBMIT_FEEDBACK">
  | "REQUEST"
  | "EXPIRE"
  | "OVERBOOK"
  | "WAITLIST_OFFER"
  | "NEEDS_ATTENTION"
  // an administrator hid or showed again the feedback comment (domain/feedbackModeration.ts)
  | "HIDE_FEEDBACK"
  | "UNHIDE_FEEDBACK";

export const SLOT_STATUSES = ["FREE", "BUSY", "BLOCKED"] as const;
export type SlotStatus = (typeof SLOT_STATUSES)[number];

export const WAITLIST_STATUSES = ["WAITING", "OFFERED", "CANCELLED"] as const;
export type WaitlistStatus = (typeof WAITLIST_STATUSES)[number];

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
  status: SlotStatus;
  specialtyCode: string;
  location: string | null;
  /** The doctor's name from scheduling's copy of the profile, when the read that made this slot carried it (searches). */
  doctorName?: string;
}

/** The fields of a new appointment (the rest start empty). */
export type NewAppointment = Omit<Appointment, "id" | "createdAt" | "updatedAt" | "needsAttention" | "feedbackRating" | "feedbackComment" | "feedbackAt">;

/** What a status change or a move may set on an appointment. */
export type AppointmentChanges = Partial<Pick<Appointment, "status" | "holdExpiresAt" | "doctorId" | "slotId" | "startsAt" | "endsAt">>;

/** One history entry as written. */
export interface ChangeRecord {
  action: HistoryAction;
  actorId: string | null;
  actorRole: string | null;
  fromStatus: AppointmentStatus | null;
  toStatus: AppointmentStatus;
  fromStartsAt?: Date | null;
  toStartsAt?: Date | null;
  reason?: string | null;
}

/** One history entry as read (the reason opened), in insertion order. */
export interface AppointmentChange {
  id: string;
  appointmentId: string;
  at: Date;
  actorId: string | null;
  actorRole: string | null;
  action: string;
  fromStatus: AppointmentStatus | null;
  toStatus: AppointmentStatus;
  fromStartsAt: Date | null;
  toStartsAt: Date | null;
  reason: string | null;
}

export interface WaitlistEntry {
  id: string;
  patientId: string;
  doctorId: string | null;
  serviceId: string | null;
  from: Date;
  to: Date;
  status: WaitlistStatus;
  offeredAppointmentId: string | null;
  createdAt: Date;
}

/** What a booking needs to know of the doctor. */
export interface DoctorBookingProfile {
  doctorId: string;
  timezone: string;
  autoApprove: boolean;
  serviceIds: string[];
  /** false: the doctor was deactivated; nobody may book them. */
  active: boolean;
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
