import { allowedTransitions } from "../domain/encounterMachine.js";
import { encounterExaminations, encounterRecords, encounterText, readEncounter } from "../domain/reads.js";
import type { EncounterResolvers } from "../generated/graphql.js";

export const Encounter: EncounterResolvers = {
  __resolveReference: async (ref, ctx) => readEncounter(ctx, await ctx.actor(), ref),
  patient: (e) => ({ __typename: "Patient", id: e.patientId }),
  doctor: (e) => ({ __typename: "Doctor", id: e.doctorId }),
  appointment: (e) => (e.appointmentId ? { __typename: "Appointment", id: e.appointmentId } : null),
  summary: async (e, _, ctx) => encounterText(ctx, await ctx.actor(), { encounter: e, value: e.summary }),
  refusalReason: async (e, _, ctx) => encounterText(ctx, await ctx.actor(), { encounter: e, value: e.refusalReason }),
  examinations: (e, _, ctx) => encounterExaminations(ctx, { encounter: e }),
  pendingExaminations: async (e, _, ctx) => (await encounterExaminations(ctx, { encounter: e })).filter((x) => x.status === "ORDERED").length,
  records: async (e, _, ctx) => encounterRecords(ctx, await ctx.actor(), { encounter: e }),
  allowedTransitions: async (e, _, ctx) =>
    allowedTransitions(await ctx.actor(), e, (await ctx.loaders.examinationsOf.load(e.id)).filter((x) => x.status === "ORDERED").length),
};
