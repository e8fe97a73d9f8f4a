import type { MutationResolvers } from "../generated/graphql.js";
import { login, logout, refreshSession } from "../domain/sessions.js";
import { requestDataExport, requestMyDataExport } from "../domain/dataExport.js";
import { changePassword, createStaffUser, registerPatient, requestRegistrationCode, setPatientNationalId } from "../domain/users.js";

export const Mutation: MutationResolvers = {
  requestRegistrationCode: (_, args, ctx) => requestRegistrationCode(ctx.deps, ctx.identity, args),
  registerPatient: (_, args, ctx) => registerPatient(ctx.deps, ctx.identity, args.input),
  login: (_, args, ctx) => login(ctx.deps, ctx.identity, args),
  refreshSession: (_, args, ctx) => refreshSession(ctx.deps, ctx.identity, args),
  logout: (_, args, ctx) => logout(ctx.deps, ctx.identity, args),
  createStaffUser: async (_, args, ctx) => createStaffUser(ctx.deps, await ctx.actor(), args.input),
  changePassword: async (_, args, ctx) => changePassword(ctx.deps, await ctx.actor(), args),
  setPatientNationalId: async (_, args, ctx) => setPatientNationalId(ctx.deps, await ctx.actor(), args),
  requestMyDataExport: async (_, __, ctx) => requestMyDataExport(ctx.deps, await ctx.actor()),
  requestDataExport: async (_, args, ctx) => requestDataExport(ctx.deps, await ctx.actor(), args),
};
