import type { QueryResolvers } from "../generated/graphql.js";
import { readAuditLog, readMyRecordAccess } from "../domain/audit.js";
import { listPatients, listUsers } from "../domain/directory.js";
import { readPatient } from "../domain/patients.js";
import { readDataExport } from "../domain/dataExport.js";

export const Query: QueryResolvers = {
  me: (_, __, ctx) => (ctx.identity.userId ? ctx.loaders.users.load(ctx.identity.userId) : null),
  patient: (_, args, ctx) => readPatient(ctx.loaders, ctx.identity, args),
  patients: async (_, args, ctx) => listPatients(ctx.deps, await ctx.actor(), args),
  users: async (_, args, ctx) => listUsers(ctx.deps, await ctx.actor(), args),
  auditLog: async (_, args, ctx) => readAuditLog(ctx.deps, await ctx.actor(), args),
  myRecordAccess: async (_, args, ctx) => readMyRecordAccess(ctx.deps, await ctx.actor(), args),
  dataExport: async (_, args, ctx) => readDataExport(ctx.deps, await ctx.actor(), args),
};
