import type { Role } from "@clinigraph/platform";

export type EncounterStatus = "ARRIVED" | "IN_PROGRESS" | "FINISHED" | "REFUSED";
export type ExaminationStatus = "ORDERED" | "PERFORMED" | "CANCELLED" | "REVIEWED";

/** An encounter as the domain sees it (clinical text opened). */
export interface Encounter {
  id: string;
  patientId: string;
  doctorId: string;
  doctorUserId: string;
  appointmentId: string | null;
  status: EncounterStatus;
  arrivedAt: Date;
  startedAt: Date | null;
  endedAt: Date | null;
  summary: string | null;
  refusalReason: string | null;
  outcomeConfirmedAt: Date | null;
  version: number;
}

export interface Examination {
  id: string;
  encounterId: string;
  patientId: string;
  serviceId: string;
  status: ExaminationStatus;
  orderedAt: Date;
  orderedBy: string;
  performedAt: Date | null;
  /** The examiner who recorded the result. */
  performedBy: string | null;
  result: string | null;
  cancelledAt: Date | null;
  /** Who cancelled it (an examiner, the ordering doctor, or the doctor refusing the treatment). */
  cancelledBy: string | null;
  cancelReason: string | null;
  reviewedAt: Date | null;
  version: number;
}

/** The signed-in caller. */
export interface Actor {
  userId: string;
  role: Role;
}

/** A doctor's care relationship with a patient: from an appointment or an encounter. */
export interface CareRelationship {
  doctorUserId: string;
  patientId: string;
  since: Date;
  source: "appointment" | "encounter";
}
