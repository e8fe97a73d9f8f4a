import type { AccountsContext } from "../context.js";
import { login, logout, refreshSession } from "../domain/sessions.js";
import {
  changePassword,
  createStaffUser,
  registerPatient,
  requestRegistrationCode,
  setPatientNationalId,
  type CreateStaffUserInput,
  type RegisterPatientInput,
} from "../domain/users.js";

export const Mutation = {
  requestRegistrationCode: (_: unknown, args: { email: string }, ctx: AccountsContext) => requestRegistrationCode(ctx.deps, ctx.identity, args.email),
  registerPatient: (_: unknown, args: { input: RegisterPatientInput }, ctx: AccountsContext) => registerPatient(ctx.deps, ctx.identity, args.input),
  login: (_: unknown, args: { email: string; password: string }, ctx: AccountsContext) => login(ctx.deps, args.email, args.password, ctx.identity.clientIp),
  refreshSession: (_: unknown, args: { refreshToken: string }, ctx: AccountsContext) => refreshSession(ctx.deps, args.refreshToken),
  logout: (_: unknown, args: { refreshToken: string }, ctx: AccountsContext) => logout(ctx.deps, args.refreshToken),
  async createStaffUser(_: unknown, args: { input: CreateStaffUserInput }, ctx: AccountsContext) {
    const user = await createStaffUser(ctx.deps, ctx.identity, args.input);
    await ctx.audit.record(ctx.identity, "STAFF_USER_CREATED");
    return user;
  },
  async changePassword(_: unknown, args: { currentPassword: string; newPassword: string }, ctx: AccountsContext) {
    const changed = await changePassword(ctx.deps, ctx.identity, args.currentPassword, args.newPassword);
    await ctx.audit.record(ctx.identity, "PASSWORD_CHANGED");
    return changed;
  },
  async setPatientNationalId(_: unknown, args: { patientId: string; nationalId?: string | null }, ctx: AccountsContext) {
    const patient = await setPatientNationalId(ctx.users, ctx.identity, args.patientId, args.nationalId);
    await ctx.audit.record(ctx.identity, "NATIONAL_ID_SET", [patient.id]);
    return patient;
  },
};
