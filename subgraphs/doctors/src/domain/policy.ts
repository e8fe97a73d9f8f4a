/**
 * Who may do what in the doctors subgraph. Reads are public; changes need a signed-in caller:
 * ADMIN for everything, "that doctor" (identity.userId === doctor.userId) for their own schedule,
 * time off, bio and location. The checks take any identity (an Actor is one), so a caller without a
 * user is refused here too.
 */
import { forbidden, unauthenticated, type Identity } from "@clinigraph/platform";
import type { Actor, Doctor } from "./types.js";

export function requireSignedIn(identity: Identity): asserts identity is Actor {
  if (!identity.userId || !identity.role) throw unauthenticated();
}

export const isAdmin = (identity: Identity) => identity.role === "ADMIN" && identity.userId !== null;

export const isDoctorThemselves = (identity: Identity, doctor: Pick<Doctor, "userId">) => identity.userId !== null && identity.userId === doctor.userId;

export function requireAdmin(identity: Identity): asserts identity is Actor {
  requireSignedIn(identity);
  if (!isAdmin(identity)) throw forbidden("Only an administrator can do this");
}

export function requireAdminOrDoctorThemselves(identity: Identity, doctor: Pick<Doctor, "userId">): asserts identity is Actor {
  requireSignedIn(identity);
  if (!isAdmin(identity) && !isDoctorThemselves(identity, doctor)) throw forbidden("Only an administrator or the doctor can do this");
}

/** Private details of a doctor (e.g. the reason for time off): the doctor and administrators only. */
export const canSeePrivateDetails = (identity: Identity, doctor: Pick<Doctor, "userId">) => isAdmin(identity) || isDoctorThemselves(identity, doctor);

/** Fields a doctor may change on their own profile; every other field is administrative. */
export const SELF_EDITABLE_FIELDS: ReadonlySet<string> = new Set(["bio", "location"]);
