import type { Resolvers } from "../generated/graphql.js";
import { ClinicBoardEntry } from "./ClinicBoardEntry.js";
import { Encounter } from "./Encounter.js";
import { EncounterUpdate } from "./EncounterUpdate.js";
import { Examination } from "./Examination.js";
import { MedicalRecordEntry } from "./MedicalRecordEntry.js";
import { Mutation } from "./Mutation.js";
import { PatientCard } from "./PatientCard.js";
import { Query } from "./Query.js";
import { Subscription } from "./Subscription.js";

/** The scalars (DateTime, Date) are the platform's, added in server.ts. */
export const resolvers: Resolvers = {
  Query,
  Mutation,
  Subscription,
  ClinicBoardEntry,
  EncounterUpdate,
  Encounter,
  Examination,
  MedicalRecordEntry,
  PatientCard,
};
