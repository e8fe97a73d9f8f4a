/**
 * Creating users: patient self-registration, staff created by an admin, password change.
 *
 * What registration reveals (docs/adr/0014): nothing about who has an account. With e-mail verification
 * (`REGISTRATION_VERIFICATION=email`, the default) a self-registration first asks for a code
 * (`requestRegistrationCode`): the answer is the same whether the address has an account or not — a free
 * address gets a code by e-mail, a taken one a notice that it already has an account — and the account is
 * created only with the code, so a taken address only ever answers "wrong or expired code", like a wrong code.
 * A phone number is not unique (families share one), so nothing answers "phone exists"; a national id is never
 * taken from an anonymous caller (reception sets it with `setPatientNationalId` after checking a document).
 * Every registration attempt and code request by a caller who is not staff counts against their client
 * address (`registrationLimits`). Reception and admins register patients at the desk without a code.
 */
import { randomInt } from "node:crypto";
import {
  addressKey,
  badInput,
  conflict,
  notFound,
  rateLimited,
  serviceUnavailable,
  STAFF_ROLES,
  unauthenticated,
  type Identity,
  type Role,
} from "@clinigraph/platform";
import type { Deps } from "./deps.js";
import { DuplicateContactError, type Gender, type UserRecord } from "./types.js";
import { NATIONAL_ID_WRITERS, requireRole, requireSignedIn } from "./policy.js";
import { checkDateOfBirth, checkPasswordPolicy, normalizeEmail, normalizeName, normalizeNationalId, normalizePhone } from "./validation.js";
import { startSession, type Session } from "./sessions.js";

export interface RegisterPatientInput {
  email: string;
  password: string;
  name: string;
  /** The code `requestRegistrationCode` sent to the e-mail (required with e-mail verification, except for staff). */
  verificationCode?: string | null;
  phone?: string | null;
  dateOfBirth?: Date | null;
  gender?: Gender | null;
}

export interface CreateStaffUserInput {
  email: string;
  password: string;
  name: string;
  phone?: string | null;
  role: Role;
}

/** `admit`: called once the input is valid, before anything is looked up (the registration throttle, the e-mail code). */
async function createUser(
  deps: Deps,
  input: CreateStaffUserInput & { patient?: { dateOfBirth: Date | null; gender: Gender | null } },
  admit?: (email: string) => Promise<void>,
): Promise<UserRecord> {
  const email = normalizeEmail(input.email);
  const phone = normalizePhone(input.phone);
  const name = normalizeName(input.name);
  checkPasswordPolicy(input.password, email);
  await admit?.(email);
  if (await deps.users.findByEmail(email)) throw conflict("An account with this e-mail already exists", "EMAIL_TAKEN", "input.email");
  try {
    return await deps.users.create({ role: input.role, name, email, phone, passwordHash: await deps.passwords.hash(input.password), patient: input.patient });
  } catch (err) {
    if (err instanceof DuplicateContactError) throw duplicateConflict(err, "input");
    throw err;
  }
}

/**
 * Self-registration. `caller` is whoever asks (usually anonymous): unless they are staff, the attempt
 * counts against their client address, successful or not, once the input is valid.
 */
export async function registerPatient(deps: Deps, caller: Identity, input: RegisterPatientInput): Promise<Session> {
  const dateOfBirth = checkDateOfBirth(input.dateOfBirth, deps.clock());
  const { email, password, name, phone, gender } = input;
  const patient = { dateOfBirth, gender: gender ?? null };
  const user = await createUser(deps, { email, password, name, phone, role: "PATIENT", patient }, async (normalizedEmail) => {
    await admitRegistration(deps, caller);
    await checkRegistrationCode(deps, caller, normalizedEmail, input.verificationCode);
  });
  return startSession(deps, user);
}

const DESK_ROLES: readonly Role[] = ["RECEPTIONIST", "ADMIN"];
const WRONG_CODE = "The code is wrong or has expired; ask for a new one";

/** With e-mail verification, a self-registration needs the e-mail's code (staff at the desk do not). */
async function checkRegistrationCode(deps: Deps, caller: Identity, email: string, code: string | null | undefined): Promise<void> {
  // A value that cannot be a code is refused whatever the mode (it is nobody's code).
  if (code != null && !/^\d{6}$/.test(code.trim())) throw badInput("The code is the 6 digits sent to your e-mail", "input.verificationCode");
  const verification = deps.registrationVerification;
  if (verification?.mode !== "email" || (caller.role && DESK_ROLES.includes(caller.role))) return;
  if (!code) throw badInput("Enter the 6-digit code sent to your e-mail (requestRegistrationCode)", "input.verificationCode");
  // A taken address never has a code: it gets this same answer, whatever the code.
  if (!(await deps.registrationCodes!.consume(deps.users.emailKey(email), code.trim(), deps.clock(), verification.maxAttempts)))
    throw badInput(WRONG_CODE, "input.verificationCode");
}

/**
 * Step one of a self-registration with e-mail verification: always `true`, whether the address has an account
 * or not. A free address gets a 6-digit code (valid `codeTtlMs`, `maxAttempts` tries), a taken one a notice
 * that it already has an account (sign in or change the password). Counted per client address like a
 * registration; past `mailsPerAddressPerHour` for one e-mail the answer stays the same but no mail is sent.
 */
export async function requestRegistrationCode(deps: Deps, caller: Identity, input: { email: string }): Promise<boolean> {
  const verification = deps.registrationVerification;
  // On the code's field: a client learns that this clinic registers without codes without reading the message.
  if (verification?.mode !== "email") throw badInput("Registration here needs no e-mail code: call registerPatient", "verificationCode");
  const email = normalizeEmail(input.email, "email");
  await admitRegistration(deps, caller);
  const emailKey = deps.users.emailKey(email);
  if (deps.registrationThrottle && (await deps.registrationThrottle.take(`mail:${emailKey}`, verification.mailsPerAddressPerHour, 3_600_000)) > 0) return true;
  const existing = await deps.users.findByEmail(email);
  if (existing) {
    await sendMail(deps, email, "Your Clinigraph account", ACCOUNT_EXISTS);
    return true;
  }
  const code = String(randomInt(0, 1_000_000)).padStart(6, "0");
  await deps.registrationCodes!.put(emailKey, code, new Date(deps.clock().getTime() + verification.codeTtlMs));
  const minutes = Math.round(verification.codeTtlMs / 60_000);
  await sendMail(deps, email, `Your Clinigraph registration code: ${code}`, codeMail(code, minutes));
  return true;
}

async function sendMail(deps: Deps, to: string, subject: string, text: string): Promise<void> {
  try {
    await deps.mailer!.send({ to, subject, text });
  } catch {
    throw serviceUnavailable("The e-mail could not be sent; try again shortly");
  }
}

const codeMail = (code: string, minutes: number) =>
  `Your code to finish registering with Clinigraph is ${code}.\n\nIt is valid for ${minutes} minutes. If you did not ask for it, ignore this e-mail: no account is created without it.\n`;
const ACCOUNT_EXISTS =
  "Someone (perhaps you) asked to register with Clinigraph using this e-mail address, which already has an account.\n\nSign in with it instead; if you forgot the password, ask the clinic's reception to help. If it was not you, you need to do nothing.\n";

/** Staff (signed in, audited) register patients at the desk without limit; anyone else is counted per client address. */
async function admitRegistration(deps: Deps, caller: Identity): Promise<void> {
  const { registrationThrottle: throttle, registrationLimits: limits } = deps;
  if (!throttle || !limits || limits.perIp <= 0 || !caller.clientIp) return;
  if (caller.role && STAFF_ROLES.includes(caller.role)) return;
  const waitMs = await throttle.take(`ip:${addressKey(caller.clientIp)}`, limits.perIp, limits.windowMs);
  if (waitMs > 0)
    throw rateLimited(`Too many registrations from this address; try again in ${Math.ceil(waitMs / 60_000)} minute(s)`, {
      reason: "TOO_MANY_REGISTRATIONS",
      retryAfter: Math.ceil(waitMs / 1000),
    });
}

/** ADMIN creates a staff user (audited). */
export async function createStaffUser(deps: Deps, caller: Identity, input: CreateStaffUserInput): Promise<UserRecord> {
  requireRole(caller, "ADMIN");
  if (input.role === "PATIENT") throw badInput("Patients register themselves; choose a staff role", "input.role");
  const user = await createUser(deps, input);
  await deps.audit.record(caller, "STAFF_USER_CREATED", [null], { type: "User", id: user.id });
  return user;
}

const DUPLICATE_WHAT = { email: "An account with this e-mail", nationalId: "A patient with this national id" };

const duplicateConflict = (err: DuplicateContactError, prefix: string) =>
  conflict(
    `${DUPLICATE_WHAT[err.field]} already exists`,
    err.field === "email" ? "EMAIL_TAKEN" : "ALREADY_EXISTS",
    prefix ? `${prefix}.${err.field}` : err.field,
  );

/** RECEPTIONIST or ADMIN sets (or, with null, clears) a patient's national id (audited). */
export async function setPatientNationalId(
  deps: Pick<Deps, "users" | "audit">,
  caller: Identity,
  input: { patientId: string; nationalId?: string | null },
): Promise<UserRecord> {
  requireRole(caller, ...NATIONAL_ID_WRITERS);
  const value = normalizeNationalId(input.nationalId, "nationalId");
  let patient: UserRecord | null;
  try {
    patient = await deps.users.setNationalId(input.patientId, value);
  } catch (err) {
    if (err instanceof DuplicateContactError) throw duplicateConflict(err, "");
    throw err;
  }
  if (!patient?.patient) throw notFound("No such patient");
  await deps.audit.record(caller, "NATIONAL_ID_SET", [patient.id], { type: "Patient", id: patient.id });
  return patient;
}

/** Used once at start-up: the first ADMIN from CLINIGRAPH_ADMIN_EMAIL / CLINIGRAPH_ADMIN_PASSWORD. */
export async function ensureAdmin(deps: Deps, email: string, password: string, name = "Administrator"): Promise<UserRecord> {
  const existing = await deps.users.findByEmail(normalizeEmail(email, "CLINIGRAPH_ADMIN_EMAIL"));
  if (existing) return existing;
  try {
    return await createUser(deps, { email, password, name, role: "ADMIN" });
  } catch (err) {
    // Another replica created it at the same moment.
    const created = await deps.users.findByEmail(normalizeEmail(email));
    if (created) return created;
    throw err;
  }
}

/** The signed-in user changes their password: every session of theirs ends (audited). */
export async function changePassword(deps: Deps, caller: Identity, input: { currentPassword: string; newPassword: string }): Promise<boolean> {
  const { currentPassword, newPassword } = input;
  requireSignedIn(caller);
  const user = await deps.users.findById(caller.userId);
  if (!user) throw unauthenticated();
  if (!(await deps.passwords.verify(user.passwordHash, currentPassword))) throw badInput("The current password is wrong", "currentPassword");
  checkPasswordPolicy(newPassword, user.email, "newPassword");
  if (currentPassword === newPassword) throw badInput("Choose a password different from the current one", "newPassword");
  const now = deps.clock();
  await deps.users.updatePassword(user.id, await deps.passwords.hash(newPassword), now);
  await deps.refreshTokens.revokeAllOfUser(user.id, now);
  await deps.audit.record(caller, "PASSWORD_CHANGED", [null], { type: "User", id: user.id });
  return true;
}
