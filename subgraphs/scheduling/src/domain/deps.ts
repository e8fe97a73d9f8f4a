import type { FieldCipher } from "@clinigraph/platform";
import type { PrismaClient } from "../data/prisma.js";
import type { SchedulingRules } from "./types.js";

export interface SchedulingDeps {
  prisma: PrismaClient;
  rules: SchedulingRules;
  clock: () => Date;
  /** Seals the free text patients and clinicians type (reasons, feedback comments) at rest (ADR 3). */
  cipher: FieldCipher;
}
