import { ENCOUNTER_READ, EXAMINATION_READ } from "../domain/policy.js";
import type { EncounterUpdateResolvers } from "../generated/graphql.js";

export const EncounterUpdate: EncounterUpdateResolvers = {
  /** The encounter as read (and checked) when the update was delivered. */
  async encounter(u, _, ctx) {
    await ctx.reads.record(ENCOUNTER_READ, [u.encounter.patientId]);
    return u.encounter;
  },
  async examination(u, _, ctx) {
    if (!u.examinationId) return null;
    const [examinations] = await Promise.all([ctx.loaders.examinationsOf.load(u.encounterId), ctx.reads.record(EXAMINATION_READ, [u.encounter.patientId])]);
    return examinations.find((x) => x.id === u.examinationId) ?? null;
  },
  /** The doctor's own action (false: someone else's, e.g. the examiner who cancelled, or the system). */
  byMe: async (u, _, ctx) => u.actorId !== null && u.actorId === (await ctx.actor()).userId,
};
