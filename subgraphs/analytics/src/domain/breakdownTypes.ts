/** Breakdowns of a range's figures (plain data): per doctor, specialty or service, and by hour of the week. */
import type { AppointmentFigures } from "./types.js";

/** What a range's figures are broken down by. */
export type BreakdownDimension = "DOCTOR" | "SPECIALTY" | "SERVICE";

/**
 * One doctor's, specialty's or service's sums over a range as the repository counts them (before rates and
 * suppression): the same sums as one period of `kpis` whose filter also names the row's doctor, specialty or service.
 */
export interface GroupCounts {
  /** The doctor's id, the specialty's code or the service's id. */
  key: string;
  /** DOCTOR: the specialty and location on the doctor's latest fact of the range (a doctor may have moved). */
  specialtyCode: string | null;
  location: string | null;
  /** SERVICE: the service's code on its latest fact of the range. */
  serviceCode: string | null;
  patients: number;
  requested: number;
  booked: number;
  cancelled: number;
  noShows: number;
  fulfilled: number;
  feedbackCount: number;
  feedbackSum: number;
  medianWaitMinutes: number | null;
  invoicedMinor: number;
  collectedMinor: number;
}

/** Booked appointments starting in one hour of the week (clinic time zone). */
export interface LoadCounts {
  /** ISO: 1 = Monday … 7 = Sunday. */
  weekday: number;
  /** 0–23. */
  hour: number;
  booked: number;
  patients: number;
}

/** The figures of a breakdown row as stakeholders see them (all null when suppressed). */
export interface BreakdownFigures extends AppointmentFigures {
  /** Drawn from fewer than the minimum number of distinct patients: every figure is null. */
  suppressed: boolean;
  medianWaitMinutes: number | null;
  invoicedMinor: number | null;
  collectedMinor: number | null;
}

export interface DoctorBreakdown extends BreakdownFigures {
  doctorId: string;
  specialtyCode: string | null;
  location: string | null;
}

export interface SpecialtyBreakdown extends BreakdownFigures {
  specialtyCode: string;
}

export interface ServiceBreakdown {
  serviceId: string;
  serviceCode: string | null;
  suppressed: boolean;
  patients: number | null;
  appointmentsBooked: number | null;
  fulfilled: number | null;
  noShows: number | null;
  invoicedMinor: number | null;
}

export interface LoadCell {
  weekday: number;
  hour: number;
  suppressed: boolean;
  appointmentsBooked: number | null;
}
