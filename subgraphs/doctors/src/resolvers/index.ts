/** The resolver map: one entry per GraphQL type, each defined in its own file named after it (scalars: server.ts). */
import type { Resolvers } from "../generated/graphql.js";
import { Doctor } from "./Doctor.js";
import { MedicalService } from "./MedicalService.js";
import { Mutation } from "./Mutation.js";
import { Query } from "./Query.js";
import { ExtraHours } from "./ExtraHours.js";
import { ScheduleBreak } from "./ScheduleBreak.js";
import { ScheduleRule } from "./ScheduleRule.js";
import { ScheduleTemplate } from "./ScheduleTemplate.js";
import { ScheduleVersion } from "./ScheduleVersion.js";
import { TimeOff } from "./TimeOff.js";

export const resolvers: Resolvers = {
  Query,
  Mutation,
  Doctor,
  MedicalService,
  ScheduleRule,
  ScheduleBreak,
  ScheduleTemplate,
  ScheduleVersion,
  ExtraHours,
  TimeOff,
};
