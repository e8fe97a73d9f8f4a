import type { FieldCipher, Logger } from "@clinigraph/platform";
import type { PatientDirectory } from "@clinigraph/platform";
import type { PrismaClient } from "../data/prisma.js";
import type { SchedulingRules } from "./types.js";

export interface SchedulingDeps {
  prisma: PrismaClient;
  rules: SchedulingRules;
  clock: () => Date;
  /** Seals the free text patients and clinicians type (reasons, feedback comments) at rest (ADR 3). */
  cipher: FieldCipher;
  /** Accounts: whether a user id staff name is a patient (bookings and overbookings made for a patient). */
  patients: PatientDirectory;
  /** Where work done after a commit (the waitlist offer of a freed slot) reports a failure; silent when absent. */
  logger?: Logger;
}
