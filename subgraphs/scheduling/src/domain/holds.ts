/**
 * How long a PENDING request holds its slot. The hold runs `holdMinutes` from the moment the request was
 * made — the patient's request, or the waitlist's offer — and never past the appointment's start.
 * Rescheduling a PENDING request moves it but does not restart its hold: the deadline stays the one of
 * the original request (so a hold cannot be kept alive by moving it back and forth), clipped to the new
 * start. A request whose hold has run out can only expire (stateMachine.stateAllows refuses the move).
 */
import type { AppointmentStatus } from "./types.js";

/** The end of a hold that started at `requestedAt`, for an appointment starting at `startsAt`. */
export function holdExpiry(requestedAt: Date, startsAt: Date, holdMinutes: number): Date {
  return new Date(Math.min(requestedAt.getTime() + holdMinutes * 60_000, startsAt.getTime()));
}

export interface StatusChange {
  at: Date;
  fromStatus: AppointmentStatus | null;
  toStatus: AppointmentStatus;
}

/**
 * When the current PENDING spell of an appointment began: the latest change INTO PENDING from something
 * else (the request or waitlist offer, or a BOOKED appointment moved to a doctor who approves by hand).
 * Reschedules PENDING → PENDING do not count. `fallback` (the appointment's creation) when history has
 * no such change.
 */
export function pendingSince(changes: readonly StatusChange[], fallback: Date): Date {
  let since: Date | null = null;
  for (const change of changes) if (change.toStatus === "PENDING" && change.fromStatus !== "PENDING") since = change.at;
  return since ?? fallback;
}
