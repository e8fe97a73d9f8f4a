import type { ClinicalContext } from "../context.js";
import { ENCOUNTER_READ } from "../data/accessAudit.js";
import { requireId } from "../domain/encounters.js";
import { listEncounters } from "../domain/worklists.js";
import type { EncounterStatus } from "../domain/types.js";
import { clinicBoard } from "./Board.js";
import { loadReadableEncounter } from "./Encounter.js";
import { examinationWorklistQuery } from "./Examination.js";
import { patientCard } from "./MedicalRecordEntry.js";

export const Query = {
  encounter: (_: unknown, args: { id: string }, ctx: ClinicalContext) => loadReadableEncounter(ctx, requireId(args.id, "id")),
  /** A doctor's worklist, reception's view of the day: one audit event per patient listed. */
  async encounters(_: unknown, args: { doctorId?: string | null; status?: EncounterStatus | null; date?: Date | null }, ctx: ClinicalContext) {
    const encounters = await listEncounters(ctx.deps, ctx.actor(), args);
    await ctx.reads.record(
      ENCOUNTER_READ,
      encounters.map((e) => e.patientId),
    );
    return encounters;
  },
  patientCard,
  examinationWorklist: examinationWorklistQuery,
  clinicBoard,
};
