import { DateScalar, DateTimeScalar } from "@clinigraph/platform";
import { BoardSubscription, ClinicBoardEntry, EncounterUpdate } from "./Board.js";
import { Encounter } from "./Encounter.js";
import { Examination } from "./Examination.js";
import { MedicalRecordEntry, PatientCard } from "./MedicalRecordEntry.js";
import { Mutation } from "./Mutation.js";
import { Query } from "./Query.js";
import { myEncounterPatients } from "./careRelationships.js";

export const resolvers = {
  DateTime: DateTimeScalar,
  Date: DateScalar,
  Query: { ...Query, myEncounterPatients },
  Mutation,
  Subscription: BoardSubscription,
  ClinicBoardEntry,
  EncounterUpdate,
  Encounter,
  Examination,
  MedicalRecordEntry,
  PatientCard,
};
