/** The resolver map: one entry per GraphQL type, each defined in its own file named after it (scalars: server.ts). */
import type { Resolvers } from "../generated/graphql.js";
import { AuditEntry } from "./AuditEntry.js";
import { DataExport } from "./DataExport.js";
import { Mutation } from "./Mutation.js";
import { Patient } from "./Patient.js";
import { Query } from "./Query.js";
import { User } from "./User.js";

export const resolvers: Resolvers = {
  Query,
  Mutation,
  User,
  Patient,
  AuditEntry,
  DataExport,
};
