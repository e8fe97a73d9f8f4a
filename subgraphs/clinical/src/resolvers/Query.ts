import { clinicBoard } from "../domain/boardProjection.js";
import { myEncounterPatients, requireId } from "../domain/encounters.js";
import { examinationWorklist } from "../domain/examWorklist.js";
import { readPatientCard } from "../domain/patientCard.js";
import { ENCOUNTER_READ, EXAMINATION_READ, PATIENT_CARD_READ } from "../domain/policy.js";
import { auditedList, readEncounter, shownEntry } from "../domain/reads.js";
import { listEncounters } from "../domain/worklists.js";
import type { QueryResolvers } from "../generated/graphql.js";

export const Query: QueryResolvers = {
  async encounter(_, args, ctx) {
    const id = requireId(args.id, "id");
    return readEncounter(ctx, await ctx.actor(), { id });
  },
  /** A doctor's worklist, reception's view of the day. */
  encounters: async (_, args, ctx) => auditedList(ctx, ENCOUNTER_READ, listEncounters(ctx.deps, await ctx.actor(), args)),
  /** The examiners' worklist. */
  examinationWorklist: async (_, args, ctx) => auditedList(ctx, EXAMINATION_READ, examinationWorklist(ctx.deps, await ctx.actor(), args)),
  /** The board of a clinic-local day (default: the clinic's today), by arrival. */
  clinicBoard: async (_, args, ctx) => auditedList(ctx, ENCOUNTER_READ, clinicBoard(ctx.deps, await ctx.actor(), args)),
  async patientCard(_, args, ctx) {
    const actor = await ctx.actor();
    const patientId = requireId(args.patientId, "patientId");
    const card = await readPatientCard(ctx.deps, actor, { patientId, hasCare: await ctx.loaders.careWith.load(patientId) });
    await ctx.reads.record(PATIENT_CARD_READ, [patientId]);
    for (const e of card.encounters) ctx.loaders.encounters.prime(e.id, e);
    return { ...card, records: card.records.map((entry) => shownEntry(ctx, entry)) };
  },
  /** Of `patientIds`, those the calling doctor has an encounter with: accounts asks this on a miss of its projection. */
  myEncounterPatients: async (_, args, ctx) => myEncounterPatients(ctx.deps, await ctx.actor(), args),
};
