import { decodeCursor, pageSize, toConnection, type Role } from "@clinigraph/platform";
import type { AccountsContext } from "../context.js";
import type { UserRecord } from "../data/users.js";
import { assertCanListPatients, requireRole } from "../domain/policy.js";
import { loadPatient } from "./Patient.js";

const keyOf = (user: UserRecord) => [user.createdAt.toISOString(), user.id];

export const Query = {
  me: (_: unknown, __: unknown, ctx: AccountsContext) => (ctx.identity.userId ? ctx.userLoader.load(ctx.identity.userId) : null),

  patient: (_: unknown, args: { id: string }, ctx: AccountsContext) => loadPatient(ctx, args.id),

  async patients(_: unknown, args: { search?: string | null; first?: number | null; after?: string | null }, ctx: AccountsContext) {
    assertCanListPatients(ctx.identity);
    const first = pageSize(args.first);
    const after = decodeCursor(args.after, 2) as [string, string] | null;
    const search = args.search?.trim() || undefined;
    const filter = search?.includes("@") ? { emailEquals: search.toLowerCase() } : { nameContains: search };
    const rows = await ctx.users.list({ patientsOnly: true, ...filter }, after, first + 1);
    return toConnection(rows, first, keyOf, after !== null);
  },

  async users(_: unknown, args: { role?: Role | null; first?: number | null; after?: string | null }, ctx: AccountsContext) {
    requireRole(ctx.identity, "ADMIN");
    const first = pageSize(args.first);
    const after = decodeCursor(args.after, 2) as [string, string] | null;
    const rows = await ctx.users.list({ role: args.role ?? undefined }, after, first + 1);
    return toConnection(rows, first, keyOf, after !== null);
  },
};
