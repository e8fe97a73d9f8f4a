/** The parent type of each schema type (what its resolvers receive), for the generated resolver types. */
import type { BoardEntry } from "../domain/board.js";
import type { PatientCard } from "../domain/patientCard.js";
import type { RecordEntryView } from "../domain/records.js";
import type { Encounter } from "../domain/types.js";
import type { EncounterUpdateMessage } from "../live/topics.js";

export type { Encounter as EncounterModel, Examination as ExaminationModel } from "../domain/types.js";
export type { BoardEntry as ClinicBoardEntryModel } from "../domain/board.js";
export type { RecordEntryView as MedicalRecordEntryModel } from "../domain/records.js";

/** The card with each entry as its current version. */
export type PatientCardModel = Omit<PatientCard, "records"> & { records: RecordEntryView[] };

export interface ClinicBoardUpdateModel {
  cursor: string;
  entry: BoardEntry;
}

/** A doctor's encounter update as delivered: with the encounter as read (and checked) at delivery. */
export type EncounterUpdateModel = EncounterUpdateMessage & { cursor: string; encounter: Encounter };
