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

/**
 * Thrown inside a booking transaction to roll it back and answer SlotUnavailable. The alternatives are looked up after
 * the rollback (`occupy.ts` `slotUnavailable`), so the slot's lock is not held while they are searched: the other
 * requests queued on a popular slot get their answer one lock hold sooner each.
 */
export class SlotUnavailableSignal extends Error {
  constructor(
    readonly code: SlotUnavailableCode,
    message: string,
    /** The slot asked for, and the service: what the alternatives are near and for. */
    readonly wanted: { slot: Slot; serviceId: string | null },
  ) {
    super(message);
  }
}
