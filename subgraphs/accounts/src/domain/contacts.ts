/**
 * Contact details for other Clinigraph services (notifications looks up whom to e-mail or text at send time): contact
 * data stays sealed in accounts (ADR 0003) and is handed out in clear only to a service asking with its own identity.
 */
import { badInput, isUuid, type Identity } from "@clinigraph/platform";
import type { Deps } from "./deps.js";
import { requireService } from "./policy.js";
import type { UserContact } from "./types.js";

/** At most this many user ids per request. */
export const MAX_CONTACT_IDS = 500;

/**
 * The contacts of the users among `input.userIds` that exist (unknown ids are left out). Only a service may ask
 * (FORBIDDEN otherwise, before the input is looked at); `userIds` must be 1 to 500 UUIDs (BAD_USER_INPUT otherwise).
 */
export async function contactsForService(deps: Pick<Deps, "users">, caller: Identity, input: { userIds?: unknown }): Promise<UserContact[]> {
  requireService(caller);
  const { userIds } = input;
  if (!Array.isArray(userIds) || userIds.length === 0 || userIds.length > MAX_CONTACT_IDS)
    throw badInput(`userIds must be a list of 1 to ${MAX_CONTACT_IDS} user ids`, "userIds");
  if (!userIds.every(isUuid)) throw badInput("userIds must hold user ids (UUIDs) only", "userIds");
  // One query for all of them, each id asked once; answers carry the stored (lower-case) id.
  return deps.users.findContacts([...new Set(userIds.map((id) => id.toLowerCase()))]);
}
