import { constraintOf, SQLSTATE, sqlStateOf } from "@clinigraph/platform";

/** The exclusion constraint on appointments: no two live appointments of a doctor over the same time. */
export const NO_DOUBLE_BOOKING = "appointments_no_double_booking";

/**
 * An exclusion violation (SQLSTATE 23P01) of `appointments_no_double_booking`. The driver adapter does not always
 * pass the constraint's name on; appointments have no other exclusion constraint, so the SQLSTATE alone counts then.
 */
export function isExclusionViolation(err: unknown): boolean {
  if (sqlStateOf(err) !== SQLSTATE.EXCLUSION_VIOLATION) return false;
  const constraint = constraintOf(err);
  return constraint === undefined || constraint === NO_DOUBLE_BOOKING;
}
