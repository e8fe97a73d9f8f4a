import type { Appointment, Slot } from "./types.js";

/** The typed "could not book" answer (GraphQL `SlotUnavailable`), with ranked alternatives. */
export interface SlotUnavailable {
  kind: "SlotUnavailable";
  code: SlotUnavailableCode;
  message: string;
  alternatives: Slot[];
}

/** Why a slot cannot be taken (GraphQL `SlotUnavailableCode`): clients branch on this, not on the message. */
export type SlotUnavailableCode = "SLOT_TAKEN" | "TOO_SOON" | "DOCTOR_UNAVAILABLE";

export type BookingResult = (Appointment & { kind: "Appointment" }) | SlotUnavailable;

export const booked = (appointment: Appointment): BookingResult => ({ ...appointment, kind: "Appointment" });

/** Thrown inside a booking transaction to roll it back and answer SlotUnavailable. */
export class SlotUnavailableSignal extends Error {
  constructor(readonly result: SlotUnavailable) {
    super(result.message);
  }
}
