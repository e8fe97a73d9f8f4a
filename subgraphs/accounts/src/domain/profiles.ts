/**
 * Profiles and e-mail changes.
 *
 * `updateMyProfile`: a patient changes their name, phone, date of birth and gender; staff their name and phone only
 * (another field is BAD_USER_INPUT naming it). `updatePatient`: RECEPTIONIST or ADMIN change a patient's. A field left
 * out stays as it is; null clears the phone, the date of birth or the gender (a name can't be cleared). Values pass
 * the rules of registration (validation.ts) and are stored as at registration (the phone sealed, ADR 3). Audited.
 *
 * E-mail change, in two steps, the old address staying until the second: `requestEmailChange` (with the current
 * password) sends a 6-digit code to the new address (valid `codeTtlMs`, `maxAttempts` tries, kept as a hash). An
 * address another account has is not revealed: the answer is the same, and that address gets a notice instead of a
 * code. `confirmEmailChange` with the code switches the address (CONFLICT if it became taken meanwhile) and tells
 * the old address. Sessions stay open (the password did not change; the change is audited and the old address told).
 *
 * The three messages are the notifications service's (`deps.emailChangeMessages`): written in the user's language,
 * sent at once, kept in its delivery log without the code. When it does not send the code (down, or the mail server
 * refused), `requestEmailChange` answers SERVICE_UNAVAILABLE; the pending change it stored stays, but nobody knows its
 * code, and the user's next request replaces it with a new one (nothing to undo, nothing the user is stuck with). The
 * notice to the old address after the switch is best effort: the change is made, a notice that fails is logged.
 */
import { randomInt } from "node:crypto";
import { badInput, conflict, notFound, rateLimited, requireUuid, serviceUnavailable, unauthenticated, type Identity } from "@clinigraph/platform";
import type { Deps } from "./deps.js";
import { EmailChangeMessagesUnavailable, type EmailChangeMessage, type ProfileChange } from "./ports.js";
import { requireRole, requireSignedIn } from "./policy.js";
import { DuplicateContactError, type Gender, type UserRecord } from "./types.js";
import { checkDateOfBirth, normalizeEmail, normalizeName, normalizePhone } from "./validation.js";

export interface ProfileInput {
  name?: string | null;
  phone?: string | null;
  dateOfBirth?: Date | null;
  gender?: Gender | null;
}

const PATIENT_ONLY = ["dateOfBirth", "gender"] as const;

/** The change the input asks for, validated; `patient`: whether patient fields may be given. */
export function profileChange(input: ProfileInput, patient: boolean, now: Date): ProfileChange {
  const change: ProfileChange = {};
  if (input.name !== undefined) {
    if (input.name === null) throw badInput("A name cannot be removed", "input.name");
    change.name = normalizeName(input.name);
  }
  if (input.phone !== undefined) change.phone = normalizePhone(input.phone);
  for (const field of PATIENT_ONLY)
    if (!patient && input[field] !== undefined)
      throw badInput(`Only patients have a ${field === "dateOfBirth" ? "date of birth" : "gender"} here`, `input.${field}`);
  if (patient) {
    const fields: NonNullable<ProfileChange["patient"]> = {};
    if (input.dateOfBirth !== undefined) fields.dateOfBirth = checkDateOfBirth(input.dateOfBirth, now);
    if (input.gender !== undefined) fields.gender = input.gender;
    if (Object.keys(fields).length > 0) change.patient = fields;
  }
  if (Object.keys(change).length === 0) throw badInput("Give at least one field to change", "input");
  return change;
}

/** The signed-in user changes their own profile (audited; a patient's entry names them). */
export async function updateMyProfile(deps: Pick<Deps, "users" | "audit" | "clock">, caller: Identity, input: ProfileInput): Promise<UserRecord> {
  requireSignedIn(caller);
  const user = await deps.users.findById(caller.userId);
  if (!user) throw unauthenticated();
  const updated = await deps.users.updateProfile(user.id, profileChange(input, user.patient !== null, deps.clock()));
  if (!updated) throw unauthenticated();
  await deps.audit.record(caller, "PROFILE_UPDATED", [updated.patient ? updated.id : null], { type: "User", id: updated.id });
  return updated;
}

/** RECEPTIONIST or ADMIN change a patient's profile (audited). */
export async function updatePatient(
  deps: Pick<Deps, "users" | "audit" | "clock">,
  caller: Identity,
  input: { id: string; input: ProfileInput },
): Promise<UserRecord> {
  requireRole(caller, "RECEPTIONIST", "ADMIN");
  const id = requireUuid(input.id, "id");
  const patient = await deps.users.findById(id);
  if (!patient?.patient) throw notFound("No such patient");
  const updated = await deps.users.updateProfile(id, profileChange(input.input, true, deps.clock()));
  if (!updated) throw notFound("No such patient");
  await deps.audit.record(caller, "PATIENT_UPDATED", [id], { type: "Patient", id });
  return updated;
}

const WRONG_CODE = "The code is wrong or has expired; ask for a new one";

/** Step one: a code to the new address (or, when another account has it, a notice); always true. */
export async function requestEmailChange(deps: Deps, caller: Identity, input: { newEmail: string; currentPassword: string }): Promise<boolean> {
  requireSignedIn(caller);
  const newEmail = normalizeEmail(input.newEmail, "newEmail");
  const user = await deps.users.findById(caller.userId);
  if (!user) throw unauthenticated();
  // Counted before the password is verified: a stolen access token guesses the password no faster than this.
  const { registrationThrottle: throttle, emailChange: settings } = deps;
  const waitMs = throttle ? await throttle.take(`email-change:${user.id}`, settings.requestsPerHour, 3_600_000) : 0;
  if (waitMs > 0)
    throw rateLimited(`Too many e-mail change requests; try again in ${Math.ceil(waitMs / 60_000)} minute(s)`, {
      reason: "TOO_MANY_EMAIL_CHANGES",
      retryAfter: Math.ceil(waitMs / 1000),
    });
  if (!(await deps.passwords.verify(user.passwordHash, input.currentPassword))) throw badInput("The current password is wrong", "currentPassword");
  if (newEmail === user.email) throw badInput("This is already your e-mail address", "newEmail");
  if (!deps.emailChangeMessages) throw serviceUnavailable("E-mail changes need the notifications service, which is not connected");
  await deps.audit.record(caller, "EMAIL_CHANGE_REQUESTED", [user.patient ? user.id : null], { type: "User", id: user.id });
  if (await deps.users.findByEmail(newEmail)) {
    await send(deps, { kind: "EMAIL_CHANGE_TAKEN", userId: user.id, to: newEmail });
    return true;
  }
  const code = String(randomInt(0, 1_000_000)).padStart(6, "0");
  await deps.emailChanges.put(user.id, newEmail, code, new Date(deps.clock().getTime() + settings.codeTtlMs));
  await send(deps, { kind: "EMAIL_CHANGE_CODE", userId: user.id, to: newEmail, code, validMinutes: Math.round(settings.codeTtlMs / 60_000) });
  return true;
}

/** Step two: the code sent to the new address switches the account to it; the old address is told. */
export async function confirmEmailChange(deps: Deps, caller: Identity, input: { code: string }): Promise<UserRecord> {
  requireSignedIn(caller);
  const code = input.code.trim();
  if (!/^\d{6}$/.test(code)) throw badInput("The code is the 6 digits sent to your new e-mail address", "code");
  const user = await deps.users.findById(caller.userId);
  if (!user) throw unauthenticated();
  const newEmail = await deps.emailChanges.consume(user.id, code, deps.clock(), deps.emailChange.maxAttempts);
  if (!newEmail) throw badInput(WRONG_CODE, "code");
  try {
    await deps.users.changeEmail(user.id, newEmail);
  } catch (err) {
    if (err instanceof DuplicateContactError) throw conflict("Another account has taken this e-mail address meanwhile", "EMAIL_TAKEN", "code");
    throw err;
  }
  await deps.audit.record(caller, "EMAIL_CHANGED", [user.patient ? user.id : null], { type: "User", id: user.id });
  // The change is made; a notice that can't be sent is logged, not the caller's error.
  try {
    await deps.emailChangeMessages?.send({ kind: "EMAIL_CHANGED", userId: user.id, to: user.email, maskedNewEmail: maskEmail(newEmail) });
  } catch (err) {
    deps.logger.warn({ err }, "the notice of an e-mail change to the old address could not be sent");
  }
  const updated = await deps.users.findById(user.id);
  if (!updated) throw unauthenticated();
  return updated;
}

async function send(deps: Deps, message: EmailChangeMessage): Promise<void> {
  try {
    await deps.emailChangeMessages!.send(message);
  } catch (err) {
    if (!(err instanceof EmailChangeMessagesUnavailable)) throw err;
    deps.logger.warn({ reason: err.message, kind: message.kind }, "an e-mail change message was not sent");
    throw serviceUnavailable("The e-mail could not be sent; try again shortly");
  }
}

/** Shows where the address now points without spelling it out to whoever reads the old mailbox. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf("@");
  const local = email.slice(0, at);
  return `${local.slice(0, 1)}${"*".repeat(Math.max(1, Math.min(local.length - 1, 6)))}${email.slice(at)}`;
}
