/**
 * The appointment life cycle and who may move it:
 *   PENDING → BOOKED (approve) | REJECTED (reject) | CANCELLED | EXPIRED (hold ran out)
 *   BOOKED → CHECKED_IN (reception) | CANCELLED | NO_SHOW; BOOKED/PENDING → rescheduled (same status, new time)
 *   CHECKED_IN → FULFILLED;  FULFILLED → feedback once
 * The patient cancels/reschedules their own; the doctor approves, rejects, marks no-show and fulfils
 * their own; reception checks in; ADMIN may do everything.
 */
import type { Actor, Appointment, AppointmentAction, AppointmentStatus } from "./types.js";

const FROM: Record<Exclude<AppointmentAction, "SUBMIT_FEEDBACK">, readonly AppointmentStatus[]> = {
  APPROVE: ["PENDING"],
  REJECT: ["PENDING"],
  RESCHEDULE: ["PENDING", "BOOKED"],
  CANCEL: ["PENDING", "BOOKED"],
  CHECK_IN: ["BOOKED"],
  MARK_NO_SHOW: ["BOOKED"],
  FULFILL: ["CHECKED_IN"],
};

export const TARGET: Record<Exclude<AppointmentAction, "RESCHEDULE" | "SUBMIT_FEEDBACK">, AppointmentStatus> = {
  APPROVE: "BOOKED",
  REJECT: "REJECTED",
  CANCEL: "CANCELLED",
  CHECK_IN: "CHECKED_IN",
  MARK_NO_SHOW: "NO_SHOW",
  FULFILL: "FULFILLED",
};

type Relation = "PATIENT" | "DOCTOR" | "RECEPTION" | "ADMIN" | "NONE";

function relationOf(actor: Actor, appointment: Pick<Appointment, "patientId" | "doctorId">): Relation {
  if (actor.role === "ADMIN") return "ADMIN";
  if (actor.role === "PATIENT" && actor.userId === appointment.patientId) return "PATIENT";
  if (actor.role === "DOCTOR" && actor.doctorId !== null && actor.doctorId === appointment.doctorId) return "DOCTOR";
  if (actor.role === "RECEPTIONIST") return "RECEPTION";
  return "NONE";
}

const WHO: Record<AppointmentAction, readonly Relation[]> = {
  APPROVE: ["DOCTOR", "ADMIN"],
  REJECT: ["DOCTOR", "ADMIN"],
  RESCHEDULE: ["PATIENT", "ADMIN"],
  CANCEL: ["PATIENT", "ADMIN"],
  CHECK_IN: ["RECEPTION", "ADMIN"],
  MARK_NO_SHOW: ["DOCTOR", "ADMIN"],
  FULFILL: ["DOCTOR", "ADMIN"],
  SUBMIT_FEEDBACK: ["PATIENT"],
};

export const mayAct = (actor: Actor, appointment: Pick<Appointment, "patientId" | "doctorId">, action: AppointmentAction) =>
  WHO[action].includes(relationOf(actor, appointment));

/** Whether the appointment's state allows the action at `now` (ignoring who asks). */
export function stateAllows(appointment: Appointment, action: AppointmentAction, now: Date): boolean {
  if (action === "SUBMIT_FEEDBACK") return appointment.status === "FULFILLED" && appointment.feedbackAt === null;
  if (!FROM[action].includes(appointment.status)) return false;
  const holdRunning = appointment.holdExpiresAt === null || appointment.holdExpiresAt.getTime() > now.getTime();
  if (appointment.status === "PENDING" && !holdRunning) return false; // an expired hold can only expire
  if (action === "RESCHEDULE" || action === "CANCEL") return appointment.startsAt.getTime() > now.getTime();
  if (action === "CHECK_IN") return sameOrBefore(appointment.startsAt, now, 12 * 3600_000) && appointment.endsAt.getTime() + 4 * 3600_000 > now.getTime();
  if (action === "MARK_NO_SHOW") return appointment.startsAt.getTime() <= now.getTime();
  return true;
}

/** Check-in opens some hours before the start. */
const sameOrBefore = (startsAt: Date, now: Date, windowMs: number) => startsAt.getTime() - windowMs <= now.getTime();

const ORDER: readonly AppointmentAction[] = ["APPROVE", "REJECT", "CHECK_IN", "FULFILL", "MARK_NO_SHOW", "RESCHEDULE", "CANCEL", "SUBMIT_FEEDBACK"];

export function allowedTransitions(appointment: Appointment, actor: Actor | null, now: Date): AppointmentAction[] {
  if (!actor) return [];
  return ORDER.filter((action) => mayAct(actor, appointment, action) && stateAllows(appointment, action, now));
}
