/** Reading one patient's profile: the policy (care relationships for doctors) and the audit of reads by others. */
import type { Identity } from "@clinigraph/platform";
import { assertCanReadPatientProfile } from "./policy.js";
import type { UserRecord } from "./types.js";

/** The per-request, batched readers a patient read goes through (the context's loaders). */
export interface PatientReaders {
  users: { load(id: string): Promise<UserRecord | null> };
  /** Whether the caller (a doctor) has a care relationship with the patient. */
  careRelationships: { load(patientId: string): Promise<boolean> };
  /** Audits a read of the patient's record by someone else (PATIENT_RECORD_READ). */
  patientRecordReads: { load(patientId: string): Promise<unknown> };
}

/** A Patient is the patient's UserRecord (Patient.id = User.id); null when there is no such patient. */
export async function readPatient(readers: PatientReaders, caller: Identity, input: { id: string }): Promise<UserRecord | null> {
  const user = await readers.users.load(input.id);
  if (!user?.patient) return null;
  await assertCanReadPatientProfile(caller, user, (patientId) => readers.careRelationships.load(patientId));
  // Batched: an `_entities` fetch of a page of patients is one insert, not one per patient.
  if (caller.userId !== user.id) await readers.patientRecordReads.load(user.id);
  return user;
}
