import type { PrismaClient } from "../data/prisma.js";
import type { SchedulingRules } from "./types.js";

export interface SchedulingDeps {
  prisma: PrismaClient;
  rules: SchedulingRules;
  clock: () => Date;
}
