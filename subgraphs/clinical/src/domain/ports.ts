/**
 * What clinical's use cases need of the world: repositories (implemented in data/), the outbox (events/outbox.ts),
 * the unit of work that runs them in one transaction, and the doctors subgraph. Clinical text crosses these ports
 * opened: sealing and opening it is the repositories' work.
 */
import type { EncounterEventData, EncounterEventType, ExaminationEventData, ExaminationEventType } from "@clinigraph/events";
import type { Identity } from "@clinigraph/platform";
import type { BoardEntry } from "./board.js";
import type { RecordContent, RecordEntryView } from "./records.js";
import type { CareRelationship, Encounter, EncounterStatus, Examination, ExaminationStatus } from "./types.js";

/** A record entry with every version: the current one and the history, oldest first. */
export interface SavedEntry {
  current: RecordEntryView;
  history: RecordEntryView[];
}

export interface NewEncounter {
  patientId: string;
  doctorId: string;
  doctorUserId: string;
  appointmentId: string | null;
  arrivedAt: Date;
  /** Reception's user for a walk-in; null for a check-in. */
  registeredBy: string | null;
  updatedAt: Date;
}

/** What a transition changes of an encounter (summary and refusal reason are sealed by the repository). */
export interface EncounterChange {
  status?: EncounterStatus;
  startedAt?: Date;
  endedAt?: Date;
  summary?: string | null;
  refusalReason?: string | null;
  outcomeConfirmedAt?: Date;
  outcomeConfirmedBy?: string;
}

export interface EncounterFilter {
  from: Date;
  to: Date;
  doctorId?: string;
  doctorUserId?: string;
  status?: EncounterStatus;
}

export interface EncounterRepository {
  byId(id: string): Promise<Encounter | null>;
  byIds(ids: readonly string[]): Promise<Encounter[]>;
  byAppointment(appointmentId: string): Promise<Encounter | null>;
  /** Arrived in [from, to), oldest arrival first. */
  list(filter: EncounterFilter, limit: number): Promise<Encounter[]>;
  /** The patient's encounters, newest first. */
  ofPatient(patientId: string): Promise<Encounter[]>;
  /** Of `patientIds`, those with an encounter treated by `doctorUserId`. */
  patientsTreatedBy(doctorUserId: string, patientIds: readonly string[]): Promise<string[]>;
  /** Locks the row (FOR UPDATE, or FOR SHARE) in the running transaction and reads it; null when there is none. */
  lock(id: string, mode?: "update" | "share"): Promise<Encounter | null>;
  add(encounter: NewEncounter): Promise<Encounter>;
  /** The encounter of `encounter.appointmentId` unless there is one already; `created` says which. */
  createForAppointment(encounter: NewEncounter & { appointmentId: string }): Promise<{ encounter: Encounter; created: boolean }>;
  /** Applies `change` when the row still has `version` (and bumps it); null when it does not. */
  change(id: string, version: number, change: EncounterChange, at: Date): Promise<Encounter | null>;
}

export interface NewExamination {
  encounterId: string;
  patientId: string;
  serviceId: string;
  orderedAt: Date;
  orderedBy: string;
}

export interface ExaminationChange {
  status: ExaminationStatus;
  performedAt?: Date;
  performedBy?: string;
  result?: string | null;
  cancelledAt?: Date;
  cancelledBy?: string;
  cancelReason?: string | null;
  reviewedAt?: Date;
  reviewedBy?: string;
}

export interface ExaminationRepository {
  byId(id: string): Promise<Examination | null>;
  /** Those of `ids` that exist (and have `status`, when given). */
  byIds(ids: readonly string[], status?: ExaminationStatus): Promise<Examination[]>;
  /** The examinations of each encounter, oldest order first. */
  ofEncounters(encounterIds: readonly string[]): Promise<Examination[]>;
  /** The patient's examinations, newest order first. */
  ofPatient(patientId: string): Promise<Examination[]>;
  /** The encounter's ORDERED examinations, oldest order first. */
  ordered(encounterId: string): Promise<Examination[]>;
  /** How many of the encounter's examinations are ORDERED (of `serviceId` only, when given). */
  countOrdered(encounterId: string, serviceId?: string): Promise<number>;
  /** The id of the examination's encounter; null when there is no such examination. */
  encounterIdOf(id: string): Promise<string | null>;
  /** Locks the row (FOR UPDATE) in the running transaction and reads it. */
  lock(id: string): Promise<Examination | null>;
  add(examination: NewExamination): Promise<Examination>;
  /** Applies `change` when the row still has `expected` version and status (and bumps the version); null when not. */
  change(id: string, expected: { version: number; status: ExaminationStatus }, change: ExaminationChange, at: Date): Promise<Examination | null>;
}

export interface RecordRepository {
  /** By the entry's id, or the author's entry of an encounter. */
  find(where: { id: string } | { encounterId: string; authorId: string }): Promise<SavedEntry | null>;
  /** Entries with their versions (history primed), by entry id. */
  byIds(ids: readonly string[]): Promise<SavedEntry[]>;
  /** The encounters' entries, oldest entry first. */
  ofEncounters(encounterIds: readonly string[]): Promise<SavedEntry[]>;
  /** The patient's entries, newest first. */
  ofPatient(patientId: string): Promise<SavedEntry[]>;
  /** Locks the entry row(s) (FOR UPDATE) in the running transaction: by id, or the author's of an encounter. */
  lock(where: { id: string } | { encounterId: string; authorId: string }): Promise<boolean>;
  createDraft(entry: { patientId: string; encounterId: string; authorId: string; content: RecordContent; at: Date }): Promise<void>;
  /** Rewrites the DRAFT `version` of the entry (never a signed one); false when it is not such a draft. */
  updateDraft(entryId: string, version: number, content: RecordContent, at: Date): Promise<boolean>;
  /** Signs the DRAFT `version`; false when it is not such a draft. */
  sign(entryId: string, version: number, at: Date): Promise<boolean>;
  /** Adds an AMENDED version (signed at creation) and makes it current. */
  amend(amendment: { entryId: string; version: number; content: RecordContent; reason: string; authorId: string; at: Date }): Promise<void>;
}

export interface CareRepository {
  /** Idempotent: an existing relationship is kept as it is. */
  record(care: CareRelationship): Promise<void>;
  /** Each as `record` would, in list order (of two for the same pair, the first is kept), in one statement. */
  recordAll(care: readonly CareRelationship[]): Promise<void>;
  exists(doctorUserId: string, patientId: string): Promise<boolean>;
  /** Of `patientIds`, those `doctorUserId` has a care relationship with. */
  patientsOf(doctorUserId: string, patientIds: readonly string[]): Promise<string[]>;
}

export interface BoardRepository {
  /** The entries of a clinic-local day (YYYY-MM-DD), by arrival. */
  ofDay(day: string, limit: number): Promise<BoardEntry[]>;
  /** Locks the encounter's entry (FOR UPDATE) in the running transaction and reads it. */
  lock(encounterId: string): Promise<BoardEntry | null>;
  save(entry: BoardEntry): Promise<void>;
}

export interface WorklistItem {
  examinationId: string;
  encounterId: string;
  patientId: string;
  serviceId: string;
  status: ExaminationStatus;
  orderedAt: string;
}

export interface WorklistRepository {
  /** Ids of ORDERED examinations on the worklist, oldest order first. */
  ordered(limit: number): Promise<string[]>;
  /** Adds the item, or moves its status forward (never back: ORDERED < PERFORMED | CANCELLED < REVIEWED). */
  apply(item: WorklistItem, at: Date): Promise<void>;
}

/** Event ids a consumer has handled (in the transaction of the change they made). */
export interface ProcessedEvents {
  /** false when `consumer` already handled `eventId`. */
  claim(consumer: string, eventId: string): Promise<boolean>;
}

export type ClinicalEventType = EncounterEventType | ExaminationEventType;

/** The transactional outbox: the event row is written in the running transaction. */
export interface Outbox {
  append(type: ClinicalEventType, payload: EncounterEventData | ExaminationEventData, occurredAt: Date): Promise<void>;
}

/** Clinical's repositories (in Deps, and bound to one transaction in a unit of work). */
export interface Repositories {
  encounters: EncounterRepository;
  examinations: ExaminationRepository;
  records: RecordRepository;
  care: CareRepository;
  board: BoardRepository;
  worklist: WorklistRepository;
}

/** The repositories of one transaction, and its outbox. */
export interface TransactionRepositories extends Repositories {
  processed: ProcessedEvents;
  outbox: Outbox;
}

export interface UnitOfWork {
  /** One transaction, run again when PostgreSQL aborts it for a deadlock or a serialization failure. */
  run<T>(work: (tx: TransactionRepositories) => Promise<T>): Promise<T>;
}

export interface DoctorRef {
  id: string;
  userId: string | null;
}

export interface MedicalServiceRef {
  id: string;
  code: string;
  kind: string;
  /** ACTIVE or RETIRED (a retired service is not ordered); absent: ACTIVE. */
  status?: string;
}

/** The doctors subgraph: which user a doctor is, and the medical services catalogue. */
export interface DoctorsClient {
  /** null when doctors does not know the id. */
  doctor(id: string): Promise<DoctorRef | null>;
  /** null when the catalogue has no such service. */
  service(id: string): Promise<MedicalServiceRef | null>;
}

/** The doctors subgraph did not answer. */
export class DoctorsUnavailable extends Error {
  override name = "DoctorsUnavailable";
}

/** Audit of reads of someone else's clinical record, per request. */
export interface ReadAudit {
  record(action: string, patientIds: readonly string[]): Promise<void>;
  /** In a long-lived context (a subscription's next event): what is read from now on is recorded again. */
  nextRequest(): void;
}

export interface AccessAudit {
  forRequest(identity: Identity): ReadAudit;
}

/** A per-request cache of reads (a DataLoader fits). */
export interface Loader<K, V> {
  load(key: K): Promise<V>;
  prime(key: K, value: V): unknown;
  clear(key: K): unknown;
}

/** The reads of one request: batched and cached by its loaders, audited by its ReadAudit. */
export interface RequestReads {
  loaders: {
    encounters: Loader<string, Encounter | null>;
    examinations: Loader<string, Examination | null>;
    examinationsOf: Loader<string, Examination[]>;
    /** For a DOCTOR caller: whether they have a care relationship with the patient (false for anyone else). */
    careWith: Loader<string, boolean>;
    /** The current versions of an encounter's record entries, oldest entry first. */
    recordsOf: Loader<string, RecordEntryView[]>;
    /** Every version of a record entry, oldest first. */
    history: Loader<string, RecordEntryView[]>;
  };
  reads: ReadAudit;
}
