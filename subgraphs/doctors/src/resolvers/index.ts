/** The resolver map: one entry per GraphQL type, each defined in its own file (no spreads). */
import type { GraphQLResolverMap } from "@apollo/subgraph/dist/schema-helper/index.js";
import { DateScalar, DateTimeScalar } from "@clinigraph/platform";
import type { DoctorsContext } from "../context.js";
import { Doctor } from "./doctor.js";
import { MedicalService } from "./medicalService.js";
import { Mutation } from "./mutation.js";
import { Query } from "./query.js";
import { ScheduleRule } from "./scheduleRule.js";
import { TimeOff } from "./timeOff.js";

export const resolvers: GraphQLResolverMap<DoctorsContext> = {
  DateTime: DateTimeScalar,
  Date: DateScalar,
  Query,
  Mutation,
  Doctor,
  MedicalService,
  ScheduleRule,
  TimeOff,
};
