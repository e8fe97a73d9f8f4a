/**
 * Creating users: patient self-registration, staff created by an admin, password change.
 *
 * What registration reveals (issue 10): a phone number is not unique (families share one), so nothing
 * answers "phone exists"; a national id is never taken from an anonymous caller (reception sets it with
 * `setPatientNationalId` after checking a document), so nothing confirms one; an e-mail still answers
 * CONFLICT when taken (an account must be reachable by its address; verification by mail is a later issue),
 * and every registration attempt by a caller who is not staff counts against their client address
 * (`registrationLimits`), so testing addresses one by one is slow.
 */
import { addressKey, badInput, conflict, notFound, rateLimited, STAFF_ROLES, unauthenticated, type Identity, type Role } from "@clinigraph/platform";
import { DuplicateContactError, type Gender, type NationalIdValue, type UserRecord } from "../data/users.js";
import type { AccountsDomainDeps } from "./ports.js";
import { NATIONAL_ID_WRITERS, requireRole, requireSignedIn } from "./policy.js";
import { checkDateOfBirth, checkPasswordPolicy, normalizeEmail, normalizeName, normalizeNationalId, normalizePhone } from "./validation.js";
import { startSession, type Session } from "./sessions.js";

export interface RegisterPatientInput {
  email: string;
  password: string;
  name: string;
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

/** `admit`: called once the input is valid, before anything is looked up (the registration throttle). */
async function createUser(
  deps: AccountsDomainDeps,
  input: CreateStaffUserInput & { patient?: { dateOfBirth: Date | null; gender: Gender | null } },
  admit?: () => Promise<void>,
): Promise<UserRecord> {
  const email = normalizeEmail(input.email);
  const phone = normalizePhone(input.phone);
  const name = normalizeName(input.name);
  checkPasswordPolicy(input.password, email);
  await admit?.();
  if (await deps.users.findByEmail(email)) throw conflict("An account with this e-mail already exists", "input.email");
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
export async function registerPatient(deps: AccountsDomainDeps, caller: Identity, input: RegisterPatientInput): Promise<Session> {
  const dateOfBirth = checkDateOfBirth(input.dateOfBirth, deps.clock());
  const { email, password, name, phone, gender } = input;
  const patient = { dateOfBirth, gender: gender ?? null };
  const user = await createUser(deps, { email, password, name, phone, role: "PATIENT", patient }, () => admitRegistration(deps, caller));
  return startSession(deps, user);
}

/** Staff (signed in, audited) register patients at the desk without limit; anyone else is counted per client address. */
async function admitRegistration(deps: AccountsDomainDeps, caller: Identity): Promise<void> {
  const { registrationThrottle: throttle, registrationLimits: limits } = deps;
  if (!throttle || !limits || limits.perIp <= 0 || !caller.clientIp) return;
  if (caller.role && STAFF_ROLES.includes(caller.role)) return;
  const waitMs = await throttle.take(`ip:${addressKey(caller.clientIp)}`, limits.perIp, limits.windowMs);
  if (waitMs > 0) throw rateLimited(`Too many registrations from this address; try again in ${Math.ceil(waitMs / 60_000)} minute(s)`);
}

export async function createStaffUser(deps: AccountsDomainDeps, caller: Identity, input: CreateStaffUserInput): Promise<UserRecord> {
  requireRole(caller, "ADMIN");
  if (input.role === "PATIENT") throw badInput("Patients register themselves; choose a staff role", "input.role");
  return createUser(deps, input);
}

const DUPLICATE_WHAT = { email: "An account with this e-mail", nationalId: "A patient with this national id" };

const duplicateConflict = (err: DuplicateContactError, prefix: string) =>
  conflict(`${DUPLICATE_WHAT[err.field]} already exists`, prefix ? `${prefix}.${err.field}` : err.field);

/** What setting a national id needs: the user store's national id write. */
export interface NationalIdStore {
  setNationalId(patientId: string, value: NationalIdValue | null): Promise<UserRecord | null>;
}

/** RECEPTIONIST or ADMIN sets (or, with null, clears) a patient's national id. */
export async function setPatientNationalId(users: NationalIdStore, caller: Identity, patientId: string, raw: string | null | undefined): Promise<UserRecord> {
  requireRole(caller, ...NATIONAL_ID_WRITERS);
  const value = normalizeNationalId(raw, "nationalId");
  try {
    const patient = await users.setNationalId(patientId, value);
    if (!patient?.patient) throw notFound("No such patient");
    return patient;
  } catch (err) {
    if (err instanceof DuplicateContactError) throw duplicateConflict(err, "");
    throw err;
  }
}

/** Used once at start-up: the first ADMIN from CLINIGRAPH_ADMIN_EMAIL / CLINIGRAPH_ADMIN_PASSWORD. */
export async function ensureAdmin(deps: AccountsDomainDeps, email: string, password: string, name = "Administrator"): Promise<UserRecord> {
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

export async function changePassword(deps: AccountsDomainDeps, caller: Identity, currentPassword: string, newPassword: string): Promise<boolean> {
  requireSignedIn(caller);
  const user = await deps.users.findById(caller.userId);
  if (!user) throw unauthenticated();
  if (!(await deps.passwords.verify(user.passwordHash, currentPassword))) throw badInput("The current password is wrong", "currentPassword");
  checkPasswordPolicy(newPassword, user.email, "newPassword");
  if (currentPassword === newPassword) throw badInput("Choose a password different from the current one", "newPassword");
  const now = deps.clock();
  await deps.users.updatePassword(user.id, await deps.passwords.hash(newPassword), now);
  await deps.refreshTokens.revokeAllOfUser(user.id, now);
  return true;
}
