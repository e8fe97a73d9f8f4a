import type { ClinicalContext } from "../context.js";
import { requireId } from "../domain/encounters.js";
import { listEncounters } from "../domain/worklists.js";
import type { EncounterStatus } from "../domain/types.js";
import { clinicBoard } from "./Board.js";
import { loadReadableEncounter } from "./Encounter.js";
import { examinationWorklistQuery } from "./Examination.js";
import { patientCard } from "./MedicalRecordEntry.js";

export const Query = {
  encounter: (_: unknown, args: { id: string }, ctx: ClinicalContext) => loadReadableEncounter(ctx, requireId(args.id, "id")),
  encounters: (_: unknown, args: { doctorId?: string | null; status?: EncounterStatus | null; date?: Date | null }, ctx: ClinicalContext) =>
    listEncounters(ctx.deps, ctx.actor(), args),
  patientCard,
  examinationWorklist: examinationWorklistQuery,
  clinicBoard,
};
