import type { UserRecord } from "../data/users.js";
import type { AccountsContext } from "../context.js";
import { assertCanReadUser } from "../domain/policy.js";

/** A Patient is the patient's UserRecord (Patient.id = User.id). */
export async function loadPatient(ctx: AccountsContext, id: string): Promise<UserRecord | null> {
  const user = await ctx.userLoader.load(id);
  if (!user?.patient) return null;
  assertCanReadUser(ctx.identity, user);
  return user;
}

export const Patient = {
  __resolveReference: (ref: { id: string }, ctx: AccountsContext) => loadPatient(ctx, ref.id),
  user: (patient: UserRecord) => patient,
  dateOfBirth: (patient: UserRecord) => patient.patient?.dateOfBirth ?? null,
  gender: (patient: UserRecord) => patient.patient?.gender ?? null,
};
