import type { FieldCipher, Logger } from "@clinigraph/platform";
import type { DoctorsClient } from "../data/doctorsClient.js";
import type { PatientDirectory } from "@clinigraph/platform";
import type { PrismaClient } from "../data/prisma.js";

export interface ClinicalDeps {
  prisma: PrismaClient;
  cipher: FieldCipher;
  doctors: DoctorsClient;
  /** Accounts: whether a patient exists (walk-ins). */
  patients: PatientDirectory;
  clock: () => Date;
  logger: Logger;
  /** The clinic's IANA time zone ("today" for worklists and the board). */
  clinicTimezone: string;
}
