/** Domain records of the doctors subgraph (plain data; the Prisma models are structurally compatible). */
import type { Identity, Role } from "@clinigraph/platform";

/** The signed-in caller: the router-verified identity with a user and a role (its requestId travels on to accounts). */
export interface Actor extends Identity {
  userId: string;
  role: Role;
}

export const DAYS_OF_WEEK = ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"] as const;
export type DayOfWeek = (typeof DAYS_OF_WEEK)[number];

export const SERVICE_KINDS = ["CONSULTATION", "CHECKUP", "LAB_TEST", "IMAGING", "PROCEDURE", "OPERATION"] as const;
export type ServiceKind = (typeof SERVICE_KINDS)[number];

/** A RETIRED catalogue entry stays readable (history refers to it) but is no longer given, booked or ordered. */
export const CATALOGUE_STATUSES = ["ACTIVE", "RETIRED"] as const;
export type CatalogueStatus = (typeof CATALOGUE_STATUSES)[number];

export interface Specialty {
  id: string;
  code: string;
  name: string;
  status: CatalogueStatus;
  /** Set exactly while RETIRED. */
  retiredAt: Date | null;
}

export interface MedicalService {
  id: string;
  code: string;
  name: string;
  kind: ServiceKind;
  durationMinutes: number;
  status: CatalogueStatus;
  /** Set exactly while RETIRED. */
  retiredAt: Date | null;
}

export interface Doctor {
  id: string;
  /** The accounts User id (a reference across subgraphs, not a foreign key). */
  userId: string;
  name: string;
  specialtyId: string;
  licenseNumber: string | null;
  bio: string | null;
  location: string | null;
  /** IANA time zone; schedule rules are local to it. */
  timezone: string;
  autoApprove: boolean;
  /** false: deactivated — hidden from search, no new slots or bookings; `doctor(id)` and history still show it. */
  active: boolean;
  /** When it was deactivated (null while active). */
  deactivatedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** A weekly window in minutes after local midnight (end may be 1440). */
export interface ScheduleRule {
  dayOfWeek: DayOfWeek;
  startMinute: number;
  endMinute: number;
  slotMinutes: number;
}

export interface TimeOff {
  id: string;
  doctorId: string;
  startsAt: Date;
  endsAt: Date;
  reason: string | null;
  createdAt: Date;
}

/** A pause cut out of a template's windows: on one day of the week, or every day (dayOfWeek null). */
export interface ScheduleBreak {
  dayOfWeek: DayOfWeek | null;
  startMinute: number;
  endMinute: number;
}

/** A named weekly schedule that administrators apply to doctors from a day on. */
export interface ScheduleTemplate {
  id: string;
  name: string;
  /** The windows as written (a window cut by a break is one rule here). */
  rules: ScheduleRule[];
  breaks: ScheduleBreak[];
  /** The default length of a rule's slots (rules may name their own). */
  slotMinutes: number | null;
  createdAt: Date;
  updatedAt: Date;
}

/** The weekly rules a doctor follows from `from` (YYYY-MM-DD, local to the doctor's time zone) until the next version. */
export interface ScheduleVersion {
  doctorId: string;
  from: string;
  rules: ScheduleRule[];
  templateId: string | null;
}

/** Bookable time outside the weekly rules, cut into slots of slotMinutes from its start. */
export interface ExtraHours {
  id: string;
  doctorId: string;
  startsAt: Date;
  endsAt: Date;
  slotMinutes: number;
  createdAt: Date;
}
