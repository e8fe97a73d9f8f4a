/**
 * Who may read what in accounts. Used by every resolver and by __resolveReference, so an entity
 * fetch through the router cannot read more than a direct query.
 */
import { forbidden, unauthenticated, type Identity, type Role } from "@clinigraph/platform";

/** Staff who work with patient demographics. Doctors get patient access through a care relationship (scheduling, later). */
const PATIENT_DATA_ROLES: readonly Role[] = ["ADMIN", "RECEPTIONIST", "BILLING", "EXAMINER"];

export function requireSignedIn(identity: Identity): asserts identity is Identity & { userId: string; role: Role } {
  if (!identity.userId || !identity.role) throw unauthenticated();
}

export function requireRole(identity: Identity, ...roles: Role[]): void {
  requireSignedIn(identity);
  if (!roles.includes(identity.role)) throw forbidden();
}

/** A staff user's record (doctors, reception…) is visible to any signed-in caller; a patient's to themselves and patient-data staff. */
export function canReadUser(identity: Identity, user: { id: string; role: Role }): boolean {
  if (!identity.userId || !identity.role) return false;
  if (user.id === identity.userId) return true;
  if (user.role !== "PATIENT") return true;
  return PATIENT_DATA_ROLES.includes(identity.role);
}

export function assertCanReadUser(identity: Identity, user: { id: string; role: Role }): void {
  requireSignedIn(identity);
  if (!canReadUser(identity, user)) throw forbidden("You may not read this record");
}

/**
 * A patient's profile (name, date of birth, gender) is also readable by doctors, who see patients on
 * their calendars and requests. Contact data (phone, the user's e-mail) stays with patient-data staff.
 * Issue 5 narrows doctors to patients they have a care relationship with (an appointment or encounter).
 */
export function assertCanReadPatientProfile(identity: Identity, patient: { id: string; role: Role }): void {
  requireSignedIn(identity);
  if (!canReadUser(identity, patient) && identity.role !== "DOCTOR") throw forbidden("You may not read this record");
}

export function assertCanListPatients(identity: Identity): void {
  requireRole(identity, ...PATIENT_DATA_ROLES);
}

/** Staff who read, set and search national ids (identity checks at the desk). Not doctors, billing or examiners. */
export const NATIONAL_ID_WRITERS: readonly Role[] = ["RECEPTIONIST", "ADMIN"];

/** A patient's national id: the patient themself, RECEPTIONIST and ADMIN; nobody else (the field reads as null). */
export function canReadNationalId(identity: Identity, patient: { id: string }): boolean {
  if (!identity.userId || !identity.role) return false;
  if (identity.userId === patient.id) return true;
  return NATIONAL_ID_WRITERS.includes(identity.role);
}

/** Finding a patient by national id is reading it: the same staff only. */
export const canSearchByNationalId = (identity: Identity): boolean => Boolean(identity.role && NATIONAL_ID_WRITERS.includes(identity.role));
