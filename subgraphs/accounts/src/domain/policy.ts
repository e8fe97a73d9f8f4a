/**
 * Who may read what in accounts. Used by every resolver and by __resolveReference, so an entity
 * fetch through the router cannot read more than a direct query.
 */
import { forbidden, unauthenticated, type Identity, type Role } from "@clinigraph/platform";

/** Staff who work with patient demographics. Doctors get patient access through a care relationship (canReadPatientProfile). */
const PATIENT_DATA_ROLES: readonly Role[] = ["ADMIN", "RECEPTIONIST", "BILLING", "EXAMINER"];

export function requireSignedIn(identity: Identity): asserts identity is Identity & { userId: string; role: Role } {
  if (!identity.userId || !identity.role) throw unauthenticated();
}

export function requireRole(identity: Identity, ...roles: Role[]): void {
  requireSignedIn(identity);
  if (!roles.includes(identity.role)) throw forbidden();
}

/**
 * Another Clinigraph service asking with its own identity (`POST /internal/…`): signed with the router secrets, with no
 * user and no role, and without the client address the router adds to a browser's request (an anonymous caller's
 * identity forwarded by a subgraph carries it). A signed-in user's identity, even forwarded by a subgraph, is refused.
 */
export function requireService(identity: Identity): void {
  if (identity.userId !== null || identity.role !== null || identity.clientIp !== undefined) throw forbidden("Only Clinigraph services may ask this");
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
 * A patient's profile (name, date of birth, gender): the patient, patient-data staff, and a DOCTOR only
 * with a care relationship with the patient (ADR 0011, domain/careRelationships.ts: an appointment with
 * them; later also an encounter). Contact data (phone, the user's e-mail) stays with patient-data staff.
 * Every path to a Patient goes through here: `patient(id)` and `Patient.__resolveReference` (`_entities`,
 * e.g. Appointment.patient on a doctor's calendar and live feed). `hasCareRelationship` answers for the
 * caller and is asked only for doctors.
 */
export function canReadPatientProfile(identity: Identity, patient: { id: string; role: Role }, hasCareRelationship: boolean): boolean {
  if (canReadUser(identity, patient)) return true;
  return identity.role === "DOCTOR" && hasCareRelationship;
}

export async function assertCanReadPatientProfile(
  identity: Identity,
  patient: { id: string; role: Role },
  hasCareRelationship: (patientId: string) => Promise<boolean>,
): Promise<void> {
  requireSignedIn(identity);
  const cares = identity.role === "DOCTOR" && !canReadUser(identity, patient) && (await hasCareRelationship(patient.id));
  if (!canReadPatientProfile(identity, patient, cares)) throw forbidden("You may not read this record");
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
