import { DateScalar, DateTimeScalar } from "@clinigraph/platform";
import { Encounter } from "./Encounter.js";
import { MedicalRecordEntry, PatientCard } from "./MedicalRecordEntry.js";
import { Mutation } from "./Mutation.js";
import { Query } from "./Query.js";

export const resolvers = { DateTime: DateTimeScalar, Date: DateScalar, Query, Mutation, Encounter, MedicalRecordEntry, PatientCard };
