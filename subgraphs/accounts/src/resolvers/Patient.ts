import type { UserRecord } from "../data/users.js";
import type { AccountsContext } from "../context.js";
import { assertCanReadPatientProfile, assertCanReadUser, canReadNationalId, canReadUser } from "../domain/policy.js";

/** A Patient is the patient's UserRecord (Patient.id = User.id). */
export async function loadPatient(ctx: AccountsContext, id: string): Promise<UserRecord | null> {
  const user = await ctx.userLoader.load(id);
  if (!user?.patient) return null;
  await assertCanReadPatientProfile(ctx.identity, user, (patientId) => ctx.careRelationships.load(patientId));
  // Batched: an `_entities` fetch of a page of patients is one insert, not one per patient.
  if (ctx.identity.userId !== user.id) await ctx.patientRecordReads.load(user.id);
  return user;
}

export const Patient = {
  __resolveReference: (ref: { id: string }, ctx: AccountsContext) => loadPatient(ctx, ref.id),
  user(patient: UserRecord, _: unknown, ctx: AccountsContext) {
    assertCanReadUser(ctx.identity, patient);
    return patient;
  },
  phone: (patient: UserRecord, _: unknown, ctx: AccountsContext) => (canReadUser(ctx.identity, patient) ? patient.phone : null),
  dateOfBirth: (patient: UserRecord) => patient.patient?.dateOfBirth ?? null,
  gender: (patient: UserRecord) => patient.patient?.gender ?? null,
  /** The policy decides per field, so `_entities` fetches and every other path to a Patient are covered. */
  async nationalId(patient: UserRecord, _: unknown, ctx: AccountsContext) {
    const value = patient.patient?.nationalId ?? null;
    if (value === null || !canReadNationalId(ctx.identity, patient)) return null;
    if (ctx.identity.userId !== patient.id) await ctx.nationalIdReads.load(patient.id);
    return value;
  },
};
