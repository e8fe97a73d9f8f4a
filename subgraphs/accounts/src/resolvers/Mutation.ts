import type { MutationResolvers } from "../generated/graphql.js";
import { login, logout, refreshSession } from "../domain/sessions.js";
import { requestDataExport, requestMyDataExport } from "../domain/dataExport.js";
import { changePassword, createStaffUser, registerPatient, requestRegistrationCode, setPatientNationalId } from "../domain/users.js";
import { changeUserRole, deactivateUser, reactivateUser } from "../domain/stewardship.js";
import { confirmEmailChange, requestEmailChange, updateMyProfile, updatePatient, type ProfileInput } from "../domain/profiles.js";

/** GraphQL input → the domain's: a field left out stays out (unchanged), an explicit null stays null (cleared). */
const profileInput = (input: Record<string, unknown>): ProfileInput => {
  const out: Record<string, unknown> = {};
  for (const key of ["name", "phone", "dateOfBirth", "gender"]) if (key in input && input[key] !== undefined) out[key] = input[key];
  return out as ProfileInput;
};

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
  deactivateUser: async (_, args, ctx) => deactivateUser(ctx.deps, await ctx.actor(), args),
  reactivateUser: async (_, args, ctx) => reactivateUser(ctx.deps, await ctx.actor(), args),
  changeUserRole: async (_, args, ctx) => changeUserRole(ctx.deps, await ctx.actor(), args),
  updateMyProfile: async (_, args, ctx) => updateMyProfile(ctx.deps, await ctx.actor(), profileInput(args.input)),
  updatePatient: async (_, args, ctx) => updatePatient(ctx.deps, await ctx.actor(), { id: args.id, input: profileInput(args.input) }),
  requestEmailChange: async (_, args, ctx) => requestEmailChange(ctx.deps, await ctx.actor(), args),
  confirmEmailChange: async (_, args, ctx) => confirmEmailChange(ctx.deps, await ctx.actor(), args),
};
