/** A record entry of the patient card (who reads what: domain/policy.ts, through domain/reads.ts). */
import { readEncounter, recordHistory } from "../domain/reads.js";
import type { MedicalRecordEntryResolvers } from "../generated/graphql.js";

export const MedicalRecordEntry: MedicalRecordEntryResolvers = {
  encounter: async (r, _, ctx) => (r.encounterId ? readEncounter(ctx, await ctx.actor(), { id: r.encounterId }) : null),
  patient: (r) => ({ __typename: "Patient", id: r.patientId }),
  history: async (r, _, ctx) => recordHistory(ctx, await ctx.actor(), { entryId: r.id }),
};
