/** Domain records of the analytics subgraph (plain data): pseudonymised facts and the figures drawn from them. */
import type { Role } from "@clinigraph/platform";

/** The signed-in caller. */
export interface Actor {
  userId: string;
  role: Role;
}

export interface ServiceStatus {
  service: string;
  databaseTime: Date;
}

/** What one event (or one imported row) tells about an appointment; the repository merges it into the fact. */
export interface AppointmentChange {
  appointmentKey: string;
  source: "LIVE" | "IMPORT";
  sourceId: string | null;
  patientKey: string | null;
  doctorId: string | null;
  specialtyCode: string | null;
  serviceId: string | null;
  serviceCode: string | null;
  location: string | null;
  /** YYYY-MM-DD, the clinic's time zone. */
  visitDate: string;
  startsAt: Date | null;
  endsAt: Date | null;
  /** Steps this event reports (the earliest report of each wins). */
  requestedAt: Date | null;
  answeredAt: Date | null;
  bookedAt: Date | null;
  checkedInAt: Date | null;
  /** A request that waited for the doctor's answer (PENDING). */
  needsApproval: boolean;
  /** The appointment's status after the event; the latest event's wins (ties: see statusRank, then the greater event id). */
  status: string;
  statusAt: Date;
  statusEventId: string;
  rating: number | null;
  amountMinor: number | null;
  currency: string | null;
}

/** What a clinical event tells about a visit (steps: the earliest report wins). */
export interface VisitChange {
  encounterKey: string;
  appointmentKey: string | null;
  patientKey: string;
  doctorId: string;
  specialtyCode: string | null;
  location: string | null;
  visitDate: string;
  step: "registeredAt" | "startedAt" | "finishedAt" | "refusedAt" | "confirmedAt";
  at: Date;
}

export interface ExaminationChange {
  examinationKey: string;
  encounterKey: string;
  patientKey: string;
  doctorId: string;
  specialtyCode: string | null;
  location: string | null;
  serviceId: string;
  serviceCode: string | null;
  visitDate: string;
  orderedAt: Date;
  step: "performedAt" | "cancelledAt" | "reviewedAt" | null;
  at: Date;
}

export interface InvoiceChange {
  invoiceKey: string;
  appointmentKey: string | null;
  patientKey: string;
  doctorId: string | null;
  specialtyCode: string | null;
  location: string | null;
  visitDate: string;
  kind: string;
  totalMinor: number;
  currency: string;
  voided: boolean;
}

export interface PaymentChange {
  paymentKey: string;
  invoiceKey: string | null;
  appointmentKey: string | null;
  kind: string;
  method: string;
  cashMinor: number;
  appliedMinor: number;
  at: Date;
}

/** One event's change to the facts (the event id makes it idempotent per consumer group). */
export type FactWrite =
  | { kind: "appointment"; eventId: string; change: AppointmentChange }
  | { kind: "visit"; eventId: string; change: VisitChange }
  | { kind: "examination"; eventId: string; change: ExaminationChange }
  | { kind: "invoice"; eventId: string; change: InvoiceChange }
  | { kind: "payment"; eventId: string; change: PaymentChange };

export type Granularity = "DAY" | "WEEK" | "MONTH";

export interface KpiFilter {
  specialty?: string | null;
  doctorId?: string | null;
  serviceId?: string | null;
  location?: string | null;
}

/** One period's sums as the repository counts them (before rates and suppression). */
export interface PeriodCounts {
  /** YYYY-MM-DD: the period's first day. */
  period: string;
  patients: number;
  requested: number;
  booked: number;
  cancelled: number;
  noShows: number;
  fulfilled: number;
  medianLeadTimeHours: number | null;
  medianApprovalMinutes: number | null;
  feedbackCount: number;
  feedbackSum: number;
  /** Ratings 1 to 5: how many of each. */
  feedbackDistribution: [number, number, number, number, number];
  medianWaitMinutes: number | null;
  medianExamTurnaroundHours: number | null;
  medianReviewHours: number | null;
  invoicedMinor: number;
  collectedMinor: number;
  outstandingMinor: number;
  /** Minutes of the booked appointments that were not called off (no-shows included: their time was taken). */
  bookedMinutes: number;
  /** Minutes the doctors offered; null under a service filter (offered time is not per service). */
  offeredMinutes: number | null;
}

/** The appointment figures every table shows (a period of kpis, a breakdown's row); null when suppressed. */
export interface AppointmentFigures {
  patients: number | null;
  appointmentsRequested: number | null;
  appointmentsBooked: number | null;
  cancelled: number | null;
  noShows: number | null;
  fulfilled: number | null;
  noShowRate: number | null;
  cancellationRate: number | null;
  feedbackAverage: number | null;
  feedbackCount: number | null;
}

/** One period's figures as stakeholders see them. */
export interface KpiPoint extends AppointmentFigures {
  period: string;
  /** Drawn from fewer than the minimum number of patients: every figure below is null. */
  suppressed: boolean;
  medianLeadTimeHours: number | null;
  medianApprovalMinutes: number | null;
  feedbackDistribution: number[] | null;
  medianWaitMinutes: number | null;
  medianExamTurnaroundHours: number | null;
  medianReviewHours: number | null;
  invoicedMinor: number | null;
  collectedMinor: number | null;
  outstandingMinor: number | null;
  utilization: number | null;
}

/** How far along its life an appointment with this status is (events of the same instant: the further one wins). */
export function statusRank(status: string): number {
  switch (status) {
    case "PENDING":
      return 1;
    case "BOOKED":
      return 2;
    case "CHECKED_IN":
      return 3;
    default:
      return 4; // FULFILLED, NO_SHOW, CANCELLED, REJECTED, EXPIRED: the end of it
  }
}

/** A Money value: minor units in the clinic's currency (null stays null: a suppressed figure). */
export const money = (amountMinor: number | null, currency: string) => (amountMinor === null ? null : { amountMinor, currency });
