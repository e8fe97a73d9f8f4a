import type { Logger, PatientDirectory } from "@clinigraph/platform";
import type { AccessAudit, DoctorsClient, Repositories, UnitOfWork } from "./ports.js";

/** Everything clinical's use cases need: the repositories, the unit of work, the doctors and accounts subgraphs, the clock. */
export interface Deps extends Repositories {
  unitOfWork: UnitOfWork;
  /** Reads of someone else's record, audited to the outbox. */
  accessAudit: AccessAudit;
  doctors: DoctorsClient;
  /** Accounts: whether a patient exists (walk-ins). */
  patients: PatientDirectory;
  clock: () => Date;
  logger: Logger;
  /** The clinic's IANA time zone ("today" for worklists and the board). */
  clinicTimezone: string;
}

export type ClinicalDeps = Deps;
