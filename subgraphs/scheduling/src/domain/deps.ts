import type { FieldCipher, Identity, Logger, PatientDirectory } from "@clinigraph/platform";
import type { DoctorsClient, ReadRecorder, Repositories, UnitOfWork } from "./ports.js";
import type { ServiceStatusRepository } from "./serviceStatus.js";
import type { SchedulingRules } from "./types.js";

/** Everything scheduling's use cases need: repositories, the unit of work, the other subgraphs, rules and clock. */
export interface Deps extends Repositories {
  unitOfWork: UnitOfWork;
  rules: SchedulingRules;
  clock: () => Date;
  /**
   * Seals the free text patients and clinicians type (reasons, feedback comments) at rest (ADR 3). The repositories
   * read it at each call, so a key rotation takes effect at once.
   */
  cipher: FieldCipher;
  /** Accounts: whether a user id staff name is a patient (bookings and overbookings made for a patient). */
  patients: PatientDirectory;
  /** The doctors subgraph: schedules and profiles to sync. */
  doctors: DoctorsClient;
  /** Which medical services are retired (projection of doctors' MedicalServiceChanged; domain/serviceStatus.ts). */
  serviceStatuses: ServiceStatusRepository;
  /** The audit of one caller's reads of other people's appointments. */
  readAudit(identity: Identity): ReadRecorder;
  /** Throws when the database does not answer (readiness). */
  ping(): Promise<void>;
  /** Where work done after a commit (the waitlist offer of a freed slot) reports a failure; silent when absent. */
  logger?: Logger;
}

/** The name other packages know scheduling's dependencies by. */
export type SchedulingDeps = Deps;
