import { allowedTransitions } from "../domain/examinationMachine.js";
import { examinationEncounter, examinationText, readExamination } from "../domain/reads.js";
import type { ExaminationResolvers } from "../generated/graphql.js";

export const Examination: ExaminationResolvers = {
  __resolveReference: async (ref, ctx) => readExamination(ctx, await ctx.actor(), ref),
  encounter: (x, _, ctx) => examinationEncounter(ctx, { examination: x }),
  patient: (x) => ({ __typename: "Patient", id: x.patientId }),
  service: (x) => ({ __typename: "MedicalService", id: x.serviceId }),
  result: async (x, _, ctx) => examinationText(ctx, await ctx.actor(), { examination: x, field: "result" }),
  cancelReason: async (x, _, ctx) => examinationText(ctx, await ctx.actor(), { examination: x, field: "cancelReason" }),
  allowedTransitions: async (x, _, ctx) => allowedTransitions(await ctx.actor(), x),
};
