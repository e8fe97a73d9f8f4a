/** Pages of patients (staff) and users (ADMIN), keyset-paginated on (createdAt, id). */
import { badInput, decodeCursor, isUuid, pageSize, toConnection, type Connection, type Identity, type Role } from "@clinigraph/platform";
import type { Deps } from "./deps.js";
import { assertCanListPatients, canSearchByNationalId, requireRole } from "./policy.js";
import type { UserRecord } from "./types.js";
import { nationalIdOrNull } from "./validation.js";

export interface PageInput {
  first?: number | null;
  after?: string | null;
}

const keyOf = (user: UserRecord) => [user.createdAt.toISOString(), user.id];

/**
 * Staff list patients; `search` matches the name, an exact e-mail, or (RECEPTIONIST, ADMIN) an exact national id.
 * Every patient on the page counts as a read of their record (audited).
 */
export async function listPatients(
  deps: Pick<Deps, "users" | "audit">,
  caller: Identity,
  input: PageInput & { search?: string | null },
): Promise<Connection<UserRecord>> {
  assertCanListPatients(caller);
  const first = pageSize(input.first);
  const after = userCursor(input.after);
  const search = input.search?.trim() || undefined;
  const nationalIdEquals = search && canSearchByNationalId(caller) ? (nationalIdOrNull(search) ?? undefined) : undefined;
  const filter = search?.includes("@") ? { emailEquals: search.toLowerCase() } : { nameContains: search, nationalIdEquals };
  const rows = await deps.users.list({ patientsOnly: true, ...filter }, after, first + 1);
  await deps.audit.record(
    caller,
    "PATIENT_RECORD_READ",
    rows.slice(0, first).map((row) => row.id),
  );
  return toConnection(rows, first, keyOf, after !== null);
}

/** ADMIN lists users, optionally of one role. */
export async function listUsers(deps: Pick<Deps, "users">, caller: Identity, input: PageInput & { role?: Role | null }): Promise<Connection<UserRecord>> {
  requireRole(caller, "ADMIN");
  const first = pageSize(input.first);
  const after = userCursor(input.after);
  const rows = await deps.users.list({ role: input.role ?? undefined }, after, first + 1);
  return toConnection(rows, first, keyOf, after !== null);
}

/** A users/patients page cursor: [createdAt ISO instant, user id]; anything else would reach the query as an invalid date or uuid. */
function userCursor(after: string | null | undefined): [string, string] | null {
  const key = decodeCursor(after, 2);
  if (!key) return null;
  const [createdAt, id] = key;
  if (typeof createdAt !== "string" || Number.isNaN(Date.parse(createdAt)) || !isUuid(id)) throw badInput("Invalid cursor", "after");
  return [createdAt, id];
}
