import { DateScalar, DateTimeScalar } from "@clinigraph/platform";
import { Mutation } from "./Mutation.js";
import { Patient } from "./Patient.js";
import { Query } from "./Query.js";
import { User } from "./User.js";
import { AuditEntry } from "./AuditEntry.js";

export const resolvers = { DateTime: DateTimeScalar, Date: DateScalar, Query, Mutation, User, Patient, AuditEntry };
