import { changeEncounter, registerWalkIn } from "../domain/encounters.js";
import { changeExamination, orderExamination } from "../domain/examinations.js";
import { amendRecord, saveRecordDraft, signRecord } from "../domain/patientCard.js";
import { shownEntry } from "../domain/reads.js";
import type { MutationResolvers } from "../generated/graphql.js";

export const Mutation: MutationResolvers = {
  registerWalkIn: async (_, args, ctx) => registerWalkIn(ctx.deps, await ctx.actor(), { ...args, requestId: ctx.identity.requestId }),
  startEncounter: async (_, args, ctx) => changeEncounter(ctx.deps, await ctx.actor(), { id: args.id, action: "START" }),
  finishEncounter: async (_, args, ctx) => changeEncounter(ctx.deps, await ctx.actor(), { id: args.id, action: "FINISH", summary: args.summary }),
  refuseEncounter: async (_, args, ctx) => changeEncounter(ctx.deps, await ctx.actor(), { id: args.id, action: "REFUSE", reason: args.reason }),
  confirmVisitOutcome: async (_, args, ctx) => changeEncounter(ctx.deps, await ctx.actor(), { id: args.encounterId, action: "CONFIRM_OUTCOME" }),
  orderExamination: async (_, args, ctx) => orderExamination(ctx.deps, await ctx.actor(), args),
  performExamination: async (_, args, ctx) => changeExamination(ctx.deps, await ctx.actor(), { id: args.id, action: "PERFORM", result: args.result }),
  cancelExamination: async (_, args, ctx) => changeExamination(ctx.deps, await ctx.actor(), { id: args.id, action: "CANCEL", reason: args.reason }),
  reviewExamination: async (_, args, ctx) => changeExamination(ctx.deps, await ctx.actor(), { id: args.id, action: "REVIEW" }),
  saveRecordDraft: async (_, args, ctx) => shownEntry(ctx, await saveRecordDraft(ctx.deps, await ctx.actor(), args)),
  signRecord: async (_, args, ctx) => shownEntry(ctx, await signRecord(ctx.deps, await ctx.actor(), args)),
  amendRecord: async (_, args, ctx) => shownEntry(ctx, await amendRecord(ctx.deps, await ctx.actor(), args)),
};
