/** Fixed actors and an error-code probe for the pure rule tests (state machines, record rules). */
import type { Actor } from "../../src/domain/types.js";

export const doctor: Actor = { userId: "00000000-0000-4000-8000-00000000d001", role: "DOCTOR" };
export const otherDoctor: Actor = { userId: "00000000-0000-4000-8000-00000000d002", role: "DOCTOR" };
export const reception: Actor = { userId: "00000000-0000-4000-8000-00000000a001", role: "RECEPTIONIST" };
export const admin: Actor = { userId: "00000000-0000-4000-8000-00000000a002", role: "ADMIN" };
export const patient: Actor = { userId: "00000000-0000-4000-8000-00000000b001", role: "PATIENT" };
export const otherPatient: Actor = { userId: "00000000-0000-4000-8000-00000000b002", role: "PATIENT" };
export const examiner: Actor = { userId: "00000000-0000-4000-8000-00000000e001", role: "EXAMINER" };

/** The `code` of what `fn` throws ("THROWN" when it has none), or "OK" when it returns. */
export const thrownCode = (fn: () => unknown): string => {
  try {
    fn();
    return "OK";
  } catch (err) {
    return (err as { code?: string }).code ?? "THROWN";
  }
};
