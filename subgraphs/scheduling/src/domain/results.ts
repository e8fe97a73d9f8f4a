import type { Appointment, Slot } from "./types.js";

/** The typed "could not book" answer (GraphQL `SlotUnavailable`), with ranked alternatives. */
export interface SlotUnavailable {
  kind: "SlotUnavailable";
  message: string;
  alternatives: Slot[];
}

export type BookingResult = (Appointment & { kind: "Appointment" }) | SlotUnavailable;

export const booked = (appointment: Appointment): BookingResult => ({ ...appointment, kind: "Appointment" });

/** Thrown inside a booking transaction to roll it back and answer SlotUnavailable. */
export class SlotUnavailableSignal extends Error {
  constructor(readonly result: SlotUnavailable) {
    super(result.message);
  }
}
