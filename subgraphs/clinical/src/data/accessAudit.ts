/**
 * Audit of reads in clinical (ARCHITECTURE §6: every read of PHI is audit-logged): when someone other than
 * the patient reads a patient's clinical record — the patient card, an encounter's record entries, clinical
 * notes, and also an encounter's or examination's metadata (status, doctor, what was ordered: health
 * information too), on the board and the worklists as well — a `PatientRecordAccessed` event goes to clinical's outbox (the shared recorder:
 * packages/events/src/accessAudit.ts); a request records each (patient, action) once.
 */
import { createReadRecorder as createRecorder, outboxAccessWriter, type RawExecutor, type ReadRecorder } from "@clinigraph/events";
import type { Identity } from "@clinigraph/platform";
import { OUTBOX_CHANNEL } from "../events/outbox.js";

export type { ReadRecorder } from "@clinigraph/events";

/** The patient card (`patientCard`). */
export const PATIENT_CARD_READ = "PATIENT_CARD_READ";
/** Record entries or clinical text of an encounter (`Encounter.records`, summaries, results). */
export const CLINICAL_RECORD_READ = "CLINICAL_RECORD_READ";
/** An encounter as schedule and outcome (status, doctor, times): `encounter`, `encounters`, an Encounter reference, the clinic board, a doctor's encounter feed. */
export const ENCOUNTER_READ = "ENCOUNTER_READ";
/** Which examinations were ordered and where they stand: an Examination, `Encounter.examinations`, the examiners' worklist. */
export const EXAMINATION_READ = "EXAMINATION_READ";

export const createReadRecorder = (db: RawExecutor, identity: Identity, clock: () => Date = () => new Date()): ReadRecorder =>
  createRecorder({ identity, clock, write: outboxAccessWriter(db, "clinical", OUTBOX_CHANNEL), oncePerRequest: true });
