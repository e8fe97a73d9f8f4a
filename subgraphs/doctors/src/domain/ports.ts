/**
 * What the doctors domain asks of the world: repositories (reads), transaction-bound writes and the outbox behind
 * the unit of work, and the accounts subgraph. data/ and events/ implement them; tests hand in fakes.
 */
import type {
  DoctorScheduleChangedData,
  DoctorStatusChangedData,
  MedicalServiceChangedData,
  ScheduleTemplateAppliedData,
  SpecialtyChangedData,
} from "@clinigraph/events";
import type { Identity, Role } from "@clinigraph/platform";
import type { ValidTimeOff } from "./timeOff.js";
import type { ValidTemplate } from "./scheduleTemplates.js";
import type {
  CatalogueStatus,
  Doctor,
  ExtraHours,
  MedicalService,
  ScheduleRule,
  ScheduleTemplate,
  ScheduleVersion,
  ServiceKind,
  Specialty,
  TimeOff,
} from "./types.js";

/* Catalogue: specialties and medical services (reference data). */

export interface DoctorServiceRow {
  doctorId: string;
  service: MedicalService;
}

export interface CatalogueRepository {
  /** By name; ACTIVE ones only unless `includeRetired`. */
  listSpecialties(includeRetired?: boolean): Promise<Specialty[]>;
  specialtiesByIds(ids: readonly string[]): Promise<Specialty[]>;
  findSpecialtyByCode(code: string): Promise<Specialty | null>;
  /** By kind and name; ACTIVE ones only unless `includeRetired`. */
  listServices(kind?: ServiceKind, includeRetired?: boolean): Promise<MedicalService[]>;
  servicesByIds(ids: readonly string[]): Promise<MedicalService[]>;
  servicesByCodes(codes: readonly string[]): Promise<MedicalService[]>;
  /** The services offered by each of `doctorIds`, in one query. */
  servicesOfDoctors(doctorIds: readonly string[]): Promise<DoctorServiceRow[]>;
}

export interface NewSpecialty {
  code: string;
  name: string;
}

export interface SpecialtyPatch {
  name?: string;
  status?: CatalogueStatus;
  retiredAt?: Date | null;
}

export interface NewMedicalService {
  code: string;
  name: string;
  kind: ServiceKind;
  durationMinutes: number;
}

export interface MedicalServicePatch {
  name?: string;
  kind?: ServiceKind;
  durationMinutes?: number;
  status?: CatalogueStatus;
  retiredAt?: Date | null;
}

/**
 * Catalogue writes inside a transaction. Lock order, to keep concurrent transactions from deadlocking: catalogue rows
 * first (an entry changed, or the entries a doctor is given), then doctors' rows.
 */
export interface CatalogueWrites {
  /** A code already taken (by any entry, retired too): CONFLICT ALREADY_EXISTS. */
  addSpecialty(data: NewSpecialty): Promise<Specialty>;
  /** Locks the specialty's row until the transaction ends; null if absent. */
  lockSpecialty(id: string): Promise<Specialty | null>;
  changeSpecialty(id: string, patch: SpecialtyPatch): Promise<Specialty>;
  /** How many doctors have the specialty (call after lockSpecialty: no doctor can be given it meanwhile). */
  doctorsWithSpecialty(id: string): Promise<number>;
  /** A code already taken: CONFLICT ALREADY_EXISTS. */
  addService(data: NewMedicalService): Promise<MedicalService>;
  /** Locks the service's row until the transaction ends; null if absent. */
  lockService(id: string): Promise<MedicalService | null>;
  changeService(id: string, patch: MedicalServicePatch): Promise<MedicalService>;
  /** The ids of the doctors offering the service, sorted (call after lockService). */
  doctorsOffering(serviceId: string): Promise<string[]>;
  /** Takes the service off every doctor's list. */
  removeServiceFromDoctors(serviceId: string): Promise<void>;
  /**
   * Share-locks the entries a doctor is about to be given (a concurrent retirement waits for this transaction, and
   * this one for a retirement in progress) and returns those that are RETIRED by now.
   */
  retiredAmong(specialtyIds: readonly string[], serviceIds: readonly string[]): Promise<{ specialties: Specialty[]; services: MedicalService[] }>;
}

/* Doctors. */

export interface DoctorListFilter {
  specialtyId?: string;
  serviceId?: string;
  /** Case-insensitive substring. */
  location?: string;
  /** Case-insensitive substring. */
  name?: string;
}

/** Keyset position: rows strictly after (name, id). */
export interface DoctorPosition {
  name: string;
  id: string;
}

export interface DoctorRepository {
  findById(id: string): Promise<Doctor | null>;
  findByIds(ids: readonly string[]): Promise<Doctor[]>;
  findByUserId(userId: string): Promise<Doctor | null>;
  /** Ordered by (name, id). */
  list(filter: DoctorListFilter, after: DoctorPosition | null, limit: number): Promise<Doctor[]>;
}

export type NewDoctor = Omit<Doctor, "id" | "createdAt" | "updatedAt" | "active" | "deactivatedAt">;

/** A change of a doctor's status (doctorStatus.ts). */
export interface DoctorStatusChange {
  active: boolean;
  at: Date;
  /** The ADMIN's reason for a deactivation; null otherwise. */
  reason: string | null;
}

export type DoctorPatch = Partial<Omit<NewDoctor, "userId">>;

export interface DoctorWrites {
  /** Locks the doctor's row until the transaction ends (serialises changes to one doctor); false if absent. */
  lock(id: string): Promise<boolean>;
  /** A user who already is a doctor: CONFLICT ALREADY_A_DOCTOR. */
  add(data: NewDoctor, serviceIds: readonly string[]): Promise<Doctor>;
  /** `serviceIds` given: replaces the doctor's services. */
  change(id: string, patch: DoctorPatch, serviceIds?: readonly string[]): Promise<Doctor>;
  /** Sets the doctor's status (call after `lock`); `statusChangedAt` of the row is the change's time. */
  setStatus(id: string, change: DoctorStatusChange): Promise<Doctor>;
  /** The doctor's status and when it last changed (changedAt null: never); null if absent. Call after `lock`. */
  status(id: string): Promise<{ active: boolean; changedAt: Date | null } | null>;
}

/* Weekly schedules. */

export interface DoctorScheduleRule extends ScheduleRule {
  doctorId: string;
}

export interface ScheduleRepository {
  /** Rules of each of `doctorIds`, in one query. */
  rulesOfDoctors(doctorIds: readonly string[]): Promise<DoctorScheduleRule[]>;
}

export interface ScheduleWrites {
  /** Replaces all rules of the doctor (call inside the transaction that locked the doctor). */
  replace(doctorId: string, rules: readonly ScheduleRule[]): Promise<void>;
}

/* Time off. */

export interface TimeOffRepository {
  /** Time off of each of `doctorIds` that ends after `endingAfter`, ordered by start, in one query. */
  ofDoctors(doctorIds: readonly string[], endingAfter: Date): Promise<TimeOff[]>;
}

export interface TimeOffWrites {
  add(doctorId: string, timeOff: ValidTimeOff): Promise<TimeOff>;
}

/* Schedule templates, effective-dated schedule versions and extra hours. */

export interface ScheduleTemplateRepository {
  /** Every template, by name (case-insensitive). */
  list(): Promise<ScheduleTemplate[]>;
  findById(id: string): Promise<ScheduleTemplate | null>;
  /** A name another template holds (case-insensitive): CONFLICT ALREADY_EXISTS. */
  create(template: ValidTemplate): Promise<ScheduleTemplate>;
  /** null when there is no such template; a name another template holds: CONFLICT ALREADY_EXISTS. */
  update(id: string, template: ValidTemplate): Promise<ScheduleTemplate | null>;
  /** false when there was no such template. Doctors it was applied to keep their versions (copies of its rules). */
  remove(id: string): Promise<boolean>;
}

export interface ScheduleVersionRepository {
  /** Of each of `doctorIds`, the latest version in force on the doctor's local day of `now`, if any, in one query. */
  inForce(doctorIds: readonly string[], now: Date): Promise<ScheduleVersion[]>;
  /** Of each of `doctorIds`, the versions starting after the doctor's local day of `now`, earliest first, in one query. */
  upcoming(doctorIds: readonly string[], now: Date): Promise<ScheduleVersion[]>;
}

export interface ScheduleVersionWrites {
  /**
   * Folds the versions in force by `today` (YYYY-MM-DD, local) into the doctor's base rules: the latest of them becomes
   * schedule_rules and they are deleted. What the doctor follows on any day does not change.
   */
  fold(doctorId: string, today: string): Promise<void>;
  /** Deletes the doctor's versions from `from` on and writes `rules` from `from` on. */
  replaceFrom(doctorId: string, from: string, rules: readonly ScheduleRule[], templateId: string | null): Promise<void>;
  /** Deletes the doctor's versions that start on `today` or earlier (a schedule set now supersedes them). */
  dropUntil(doctorId: string, today: string): Promise<void>;
}

export interface ExtraHoursRepository {
  /** Extra hours of each of `doctorIds` that end after `endingAfter`, by start, in one query. */
  ofDoctors(doctorIds: readonly string[], endingAfter: Date): Promise<ExtraHours[]>;
}

export interface ExtraHoursWrites {
  add(doctorId: string, extra: { startsAt: Date; endsAt: Date; slotMinutes: number }): Promise<ExtraHours>;
}

/** An appointment as the scheduling subgraph reports it (its calendar). */
export interface ScheduledAppointment {
  id: string;
  startsAt: Date;
  endsAt: Date;
  status: string;
}

/**
 * The scheduling subgraph, called on behalf of `caller` (scheduling applies its own rules to them). Its domain errors
 * come through as DomainErrors; anything else is SERVICE_UNAVAILABLE.
 */
export interface SchedulingClient {
  /** The doctor's appointments over [from, to) (at most 62 days), in any status. */
  appointments(doctorId: string, from: Date, to: Date, caller: Identity): Promise<ScheduledAppointment[]>;
}

/* Events. */

/**
 * The outbox of one transaction (events/outbox.ts): the event is written with the change it announces and published
 * after commit. `DoctorScheduleChanged` follows every change to a doctor's bookable time (the doctor, their services,
 * approval mode, weekly schedule, time off): scheduling re-reads the doctor and regenerates their free slots.
 */
export interface Outbox {
  /** DoctorDeactivated / DoctorReactivated are written with the DoctorScheduleChanged of the same change (its snapshot says `active`). */
  append<T extends DoctorsEventType>(type: T, payload: DoctorsEventPayloads[T], occurredAt: Date): Promise<void>;
}

export interface DoctorsEventPayloads {
  DoctorScheduleChanged: DoctorScheduleChangedData;
  DoctorDeactivated: DoctorStatusChangedData;
  DoctorReactivated: DoctorStatusChangedData;
  /** One per doctor a template is applied to, before that doctor's DoctorScheduleChanged. */
  ScheduleTemplateApplied: ScheduleTemplateAppliedData;
}
export type DoctorsEventType = keyof DoctorsEventPayloads;

/** Events handled by doctors' consumers, recorded in the transaction of their effect (a redelivery is recognised). */
export interface ProcessedEvents {
  /** true the first time `consumer` claims `eventId`; false when it was handled before (a concurrent duplicate waits, then gets false). */
  claim(consumer: string, eventId: string): Promise<boolean>;
}

/** Catalogue events, written in the transaction of the change (aggregate: the entry). */
export interface CatalogueEvents {
  serviceChanged(payload: MedicalServiceChangedData, occurredAt: Date): Promise<void>;
  specialtyChanged(payload: SpecialtyChangedData, occurredAt: Date): Promise<void>;
}

/* One transaction. */

export interface TransactionRepositories {
  catalogue: CatalogueWrites;
  catalogueEvents: CatalogueEvents;
  doctors: DoctorWrites;
  schedules: ScheduleWrites;
  timeOff: TimeOffWrites;
  versions: ScheduleVersionWrites;
  extraHours: ExtraHoursWrites;
  outbox: Outbox;
  processedEvents: ProcessedEvents;
}

/** Every state change goes through here: one database transaction (retried on deadlock or serialization failure). */
export interface UnitOfWork {
  run<T>(work: (tx: TransactionRepositories) => Promise<T>): Promise<T>;
}

/* Other subgraphs. */

export interface AccountsUser {
  id: string;
  role: Role;
  name: string;
}

export interface NewStaffUser {
  email: string;
  password: string;
  name: string;
  phone?: string | null;
  role: Role;
}

/**
 * The accounts subgraph, called on behalf of `caller` (accounts applies its own rules to them). Its domain errors
 * (CONFLICT, BAD_USER_INPUT, …) come through as DomainErrors; anything else is AccountsUnavailable.
 */
export interface AccountsClient {
  /** The user with this id, or null when accounts knows none. */
  findUser(id: string, caller: Identity): Promise<AccountsUser | null>;
  /** Creates a staff user (accounts requires the caller to be ADMIN). */
  createStaffUser(input: NewStaffUser, caller: Identity): Promise<AccountsUser>;
}
