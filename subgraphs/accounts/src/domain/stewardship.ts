/**
 * An ADMIN's stewardship of users: deactivation, reactivation, role changes. Each runs in one transaction that locks
 * the user's row, changes it, ends every session of the user (refresh-token families: the router then refuses their
 * access tokens and closes their sockets, ADR 13) and writes the event other subgraphs act on (UserDeactivated,
 * UserReactivated, UserRoleChanged on the accounts stream); the audit entry follows the commit.
 *
 * Rules:
 * - Nobody deactivates or changes the role of their own account (FORBIDDEN): an admin cannot lock themselves out,
 *   and the clinic keeps at least the admin who acts.
 * - Deactivating a deactivated user, reactivating an active one, or giving a user the role they have is idempotent:
 *   the user as they are, no event, no audit entry (a retried request changes nothing twice).
 * - Role changes only among staff roles other than DOCTOR (RECEPTIONIST, EXAMINER, BILLING, STAKEHOLDER, ADMIN):
 *   a patient has a patient profile and a doctor a doctor profile (in the doctors subgraph) that another role could
 *   not use, so to or from PATIENT or DOCTOR is BAD_USER_INPUT; such a person gets a new account instead.
 */
import { badInput, forbidden, notFound, requireUuid, type Identity, type Role } from "@clinigraph/platform";
import type { UserAccountChangedData } from "@clinigraph/events";
import type { Deps } from "./deps.js";
import { requireRole } from "./policy.js";
import type { UserRecord } from "./types.js";
import { normalizeReason } from "./validation.js";

/** The roles `changeUserRole` moves between. */
export const CHANGEABLE_ROLES: readonly Role[] = ["RECEPTIONIST", "EXAMINER", "BILLING", "STAKEHOLDER", "ADMIN"];

type StewardshipDeps = Pick<Deps, "unitOfWork" | "users" | "audit" | "clock">;

function requireAdminAndId(caller: Identity, input: { id: string }): string {
  requireRole(caller, "ADMIN");
  return requireUuid(input.id, "id");
}

/** After the input is validated: nobody acts on their own account. */
function requireOtherUser(caller: Identity, id: string, what: string): void {
  if (id === caller.userId) throw forbidden(`You cannot ${what} your own account; ask another administrator`);
}

async function reload(deps: Pick<Deps, "users">, id: string): Promise<UserRecord> {
  const user = await deps.users.findById(id);
  if (!user) throw notFound("No such user");
  return user;
}

/** ADMIN: the user can no longer sign in or refresh, and every session of theirs ends at once (audited). */
export async function deactivateUser(deps: StewardshipDeps, caller: Identity, input: { id: string; reason: string }): Promise<UserRecord> {
  const id = requireAdminAndId(caller, input);
  const reason = normalizeReason(input.reason, "reason");
  requireOtherUser(caller, id, "deactivate");
  const changed = await deps.unitOfWork.run(async ({ accounts, outbox }) => {
    const user = await accounts.lock(id);
    if (!user) throw notFound("No such user");
    if (!user.active) return false;
    const at = deps.clock();
    await accounts.setActive(id, false, at, reason);
    await accounts.revokeSessions(id, at);
    await outbox.append("UserDeactivated", event(user.id, user.role, caller, at), at);
    return true;
  });
  if (changed) await deps.audit.record(caller, "USER_DEACTIVATED", [null], { type: "User", id });
  return reload(deps, id);
}

/** ADMIN: the user may sign in again (sessions ended by the deactivation stay ended; audited). */
export async function reactivateUser(deps: StewardshipDeps, caller: Identity, input: { id: string }): Promise<UserRecord> {
  const id = requireAdminAndId(caller, input);
  requireOtherUser(caller, id, "reactivate");
  const changed = await deps.unitOfWork.run(async ({ accounts, outbox }) => {
    const user = await accounts.lock(id);
    if (!user) throw notFound("No such user");
    if (user.active) return false;
    const at = deps.clock();
    await accounts.setActive(id, true, at, null);
    await outbox.append("UserReactivated", event(user.id, user.role, caller, at), at);
    return true;
  });
  if (changed) await deps.audit.record(caller, "USER_REACTIVATED", [null], { type: "User", id });
  return reload(deps, id);
}

/** ADMIN: another staff role (see the rules above); the user's sessions end, since their tokens carry the role (audited). */
export async function changeUserRole(deps: StewardshipDeps, caller: Identity, input: { id: string; role: Role }): Promise<UserRecord> {
  const id = requireAdminAndId(caller, input);
  if (!CHANGEABLE_ROLES.includes(input.role)) throw badInput(roleRefusal(input.role), "role");
  requireOtherUser(caller, id, "change the role of");
  const changed = await deps.unitOfWork.run(async ({ accounts, outbox }) => {
    const user = await accounts.lock(id);
    if (!user) throw notFound("No such user");
    if (!CHANGEABLE_ROLES.includes(user.role)) throw badInput(roleRefusal(user.role), "id");
    if (user.role === input.role) return false;
    const at = deps.clock();
    await accounts.setRole(id, input.role);
    await accounts.revokeSessions(id, at);
    await outbox.append("UserRoleChanged", { ...event(user.id, input.role, caller, at), previousRole: user.role }, at);
    return true;
  });
  if (changed) await deps.audit.record(caller, "USER_ROLE_CHANGED", [null], { type: "User", id });
  return reload(deps, id);
}

function roleRefusal(role: Role): string {
  if (role === "PATIENT") return "Patients keep the PATIENT role (they have a patient profile); staff and patients need separate accounts";
  if (role === "DOCTOR") return "The DOCTOR role goes with a doctor profile: create the doctor with createDoctor, or a new staff account";
  return `Roles change only among ${CHANGEABLE_ROLES.join(", ")}`;
}

const event = (userId: string, role: Role, caller: Identity, at: Date): UserAccountChangedData => ({
  userId,
  role,
  actorId: caller.userId,
  at: at.toISOString(),
});
