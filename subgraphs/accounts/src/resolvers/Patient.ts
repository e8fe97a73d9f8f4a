import type { PatientResolvers } from "../generated/graphql.js";
import { readPatient } from "../domain/patients.js";
import { assertCanReadUser, canReadNationalId, canReadUser } from "../domain/policy.js";

export const Patient: PatientResolvers = {
  __resolveReference: (ref, ctx) => readPatient(ctx.loaders, ctx.identity, ref),
  user(patient, _, ctx) {
    assertCanReadUser(ctx.identity, patient);
    return patient;
  },
  phone: (patient, _, ctx) => (canReadUser(ctx.identity, patient) ? patient.phone : null),
  dateOfBirth: (patient) => patient.patient?.dateOfBirth ?? null,
  gender: (patient) => patient.patient?.gender ?? null,
  /** The policy decides per field, so `_entities` fetches and every other path to a Patient are covered. */
  async nationalId(patient, _, ctx) {
    const value = patient.patient?.nationalId ?? null;
    if (value === null || !canReadNationalId(ctx.identity, patient)) return null;
    if (ctx.identity.userId !== patient.id) await ctx.loaders.nationalIdReads.load(patient.id);
    return value;
  },
};
