/** Who may see which appointments. Used by queries and by Appointment.__resolveReference alike. */
import { forbidden } from "@clinigraph/platform";
import type { Actor, Appointment } from "./types.js";

export const STAFF_CALENDAR_ROLES = ["RECEPTIONIST", "ADMIN"] as const;

export function canRead(actor: Actor, appointment: Pick<Appointment, "patientId" | "doctorId">): boolean {
  switch (actor.role) {
    case "PATIENT":
      return appointment.patientId === actor.userId;
    case "DOCTOR":
      return actor.doctorId !== null && appointment.doctorId === actor.doctorId;
    case "RECEPTIONIST":
    case "ADMIN":
      return true;
    default:
      return false;
  }
}

export function assertCanRead(actor: Actor, appointment: Pick<Appointment, "patientId" | "doctorId">): void {
  if (!canRead(actor, appointment)) throw forbidden("You may not see this appointment");
}

/** calendar(doctorId): reception and admins for anyone; a doctor for themselves only. */
export function calendarScope(actor: Actor, doctorId: string | null): string | null {
  if (actor.role === "RECEPTIONIST" || actor.role === "ADMIN") return doctorId;
  if (actor.role === "DOCTOR" && actor.doctorId && (doctorId === null || doctorId === actor.doctorId)) return actor.doctorId;
  throw forbidden("Only staff see calendars, and doctors only their own");
}
