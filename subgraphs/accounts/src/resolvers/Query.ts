import { badInput, decodeCursor, isUuid, pageSize, requireUuid, toConnection, type Role } from "@clinigraph/platform";
import type { AccountsContext } from "../context.js";
import type { UserRecord } from "../data/users.js";
import { assertCanListPatients, canSearchByNationalId, requireRole } from "../domain/policy.js";
import { nationalIdOrNull } from "../domain/validation.js";
import { loadPatient } from "./Patient.js";

const keyOf = (user: UserRecord) => [user.createdAt.toISOString(), user.id];

export const Query = {
  me: (_: unknown, __: unknown, ctx: AccountsContext) => (ctx.identity.userId ? ctx.userLoader.load(ctx.identity.userId) : null),

  patient: (_: unknown, args: { id: string }, ctx: AccountsContext) => loadPatient(ctx, args.id),

  async patients(_: unknown, args: { search?: string | null; first?: number | null; after?: string | null }, ctx: AccountsContext) {
    assertCanListPatients(ctx.identity);
    const first = pageSize(args.first);
    const after = userCursor(args.after);
    const search = args.search?.trim() || undefined;
    const nationalIdEquals = search && canSearchByNationalId(ctx.identity) ? (nationalIdOrNull(search) ?? undefined) : undefined;
    const filter = search?.includes("@") ? { emailEquals: search.toLowerCase() } : { nameContains: search, nationalIdEquals };
    const rows = await ctx.users.list({ patientsOnly: true, ...filter }, after, first + 1);
    await ctx.audit.record(
      ctx.identity,
      "PATIENT_RECORD_READ",
      rows.slice(0, first).map((row) => row.id),
    );
    return toConnection(rows, first, keyOf, after !== null);
  },

  async users(_: unknown, args: { role?: Role | null; first?: number | null; after?: string | null }, ctx: AccountsContext) {
    requireRole(ctx.identity, "ADMIN");
    const first = pageSize(args.first);
    const after = userCursor(args.after);
    const rows = await ctx.users.list({ role: args.role ?? undefined }, after, first + 1);
    return toConnection(rows, first, keyOf, after !== null);
  },

  async auditLog(_: unknown, args: { patientId?: string | null; actorId?: string | null; first?: number | null; after?: string | null }, ctx: AccountsContext) {
    requireRole(ctx.identity, "ADMIN");
    return auditPage(
      ctx,
      {
        // Absent (null) means any; an empty string is a malformed id, not "any".
        ...(args.patientId != null ? { patientId: requireUuid(args.patientId, "patientId") } : {}),
        ...(args.actorId != null ? { actorId: requireUuid(args.actorId, "actorId") } : {}),
      },
      args,
    );
  },

  async myRecordAccess(_: unknown, args: { first?: number | null; after?: string | null }, ctx: AccountsContext) {
    requireRole(ctx.identity, "PATIENT");
    return auditPage(ctx, { patientId: ctx.identity.userId! }, args);
  },
};

async function auditPage(ctx: AccountsContext, filter: { patientId?: string; actorId?: string }, args: { first?: number | null; after?: string | null }) {
  const first = pageSize(args.first);
  const key = decodeCursor(args.after, 1);
  if (key && (typeof key[0] !== "string" || !/^\d+$/.test(key[0]))) throw badInput("Invalid cursor", "after");
  const rows = await ctx.audit.list(filter, key ? BigInt(key[0] as string) : null, first + 1);
  return toConnection(rows, first, (row) => [row.seq.toString()], key !== null);
}

/** A users/patients page cursor: [createdAt ISO instant, user id]; anything else would reach the query as an invalid date or uuid. */
function userCursor(after: string | null | undefined): [string, string] | null {
  const key = decodeCursor(after, 2);
  if (!key) return null;
  const [createdAt, id] = key;
  if (typeof createdAt !== "string" || Number.isNaN(Date.parse(createdAt)) || !isUuid(id)) throw badInput("Invalid cursor", "after");
  return [createdAt, id];
}
