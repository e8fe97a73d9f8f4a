/** What the accounts use cases need from the outside world (implemented in data/, bundled as Deps in deps.ts, faked in unit tests). */
import type { PatientRecordAccessedData, StaffActionRecordedData, UserAccountChangedData } from "@clinigraph/events";
import type { Identity, Role } from "@clinigraph/platform";
import type {
  AuditAction,
  AuditFilter,
  AuditRecord,
  AuditTarget,
  CareRelationship,
  Gender,
  NationalIdValue,
  NewUser,
  StoredRefreshToken,
  UserContact,
  UserFilter,
  UserRecord,
} from "./types.js";

/** Users and patients; contact data in clear (sealed and blind-indexed below this port). */
export interface UserStore {
  /** A stable, keyed pseudonym of an e-mail (its blind index), for throttling keys. */
  emailKey(email: string): string;
  /** Throws DuplicateContactError when the e-mail (or the patient's national id) is taken. */
  create(user: NewUser): Promise<UserRecord>;
  findByEmail(email: string): Promise<UserRecord | null>;
  findById(id: string): Promise<UserRecord | null>;
  findByIds(ids: readonly string[]): Promise<UserRecord[]>;
  /** Name, e-mail, phone and role of the users among `ids` that exist, in one query (unknown ids left out). */
  findContacts(ids: readonly string[]): Promise<UserContact[]>;
  /** Keyset page ordered by (createdAt, id), after the [createdAt ISO instant, id] key. */
  list(filter: UserFilter, after: [string, string] | null, limit: number): Promise<UserRecord[]>;
  updatePassword(id: string, passwordHash: string, at: Date): Promise<void>;
  /** Sets or clears a patient's national id; null when there is no such patient; DuplicateContactError when taken. */
  setNationalId(patientId: string, value: NationalIdValue | null): Promise<UserRecord | null>;
  /** Changes the given fields (absent: unchanged; null clears phone, date of birth, gender); null when there is no such user. */
  updateProfile(id: string, change: ProfileChange): Promise<UserRecord | null>;
  /** Sets the user's e-mail (sealed and blind-indexed); DuplicateContactError when another account has it. */
  changeEmail(id: string, email: string): Promise<void>;
}

/** What a profile update changes; `patient` fields only for a patient. */
export interface ProfileChange {
  name?: string;
  phone?: string | null;
  patient?: { dateOfBirth?: Date | null; gender?: Gender | null };
}

/** Pending e-mail changes (data/emailChangeRepository.ts): one per user, the code kept as a hash. */
export interface EmailChangeStore {
  /** Keeps the new address and the code until `expiresAt`, replacing the user's earlier request. */
  put(userId: string, newEmail: string, code: string, expiresAt: Date): Promise<void>;
  /**
   * The new address, once, when `code` is the user's unexpired code; every call counts an attempt (at most
   * `maxAttempts`); null otherwise. The pending change is used up when it answers an address.
   */
  consume(userId: string, code: string, now: Date, maxAttempts: number): Promise<string | null>;
}

/* Changes that other subgraphs act on: in one transaction with their events. */

export type UserAccountEventType = "UserDeactivated" | "UserReactivated" | "UserRoleChanged";

/** The outbox of one transaction (events/outbox.ts): written with the change it announces, published after commit. */
export interface Outbox {
  append(type: UserAccountEventType, payload: UserAccountChangedData, occurredAt: Date): Promise<void>;
}

/** Writes to a user's account inside a transaction (data/unitOfWork.ts). */
export interface AccountWrites {
  /** Locks the user's row until the transaction ends (changes to one user go one at a time); null when absent. */
  lock(userId: string): Promise<{ id: string; role: Role; active: boolean } | null>;
  /** Deactivates (with the time and reason) or reactivates (clearing both). */
  setActive(userId: string, active: boolean, at: Date, reason: string | null): Promise<void>;
  setRole(userId: string, role: Role): Promise<void>;
  /** Ends every session (refresh-token family) of the user; how many tokens were revoked. */
  revokeSessions(userId: string, at: Date): Promise<number>;
}

export interface TransactionRepositories {
  accounts: AccountWrites;
  outbox: Outbox;
}

/** One database transaction (retried on deadlock or serialization failure). */
export interface UnitOfWork {
  run<T>(work: (tx: TransactionRepositories) => Promise<T>): Promise<T>;
}

/** The append-only audit log. */
export interface AuditStore {
  /** One entry per patient (none for an empty list; `[null]`: an action about no patient). */
  record(actor: Identity, action: AuditAction, patientIds?: readonly (string | null)[], target?: AuditTarget): Promise<void>;
  /** A read another subgraph reported; its access id makes redelivery a no-op. False when already there. */
  recordAccess(access: PatientRecordAccessedData): Promise<boolean>;
  /** Staff writes (reported by other subgraphs, or accounts' own): each action id once. How many were new. */
  recordStaffActions(actions: readonly StaffActionRecordedData[]): Promise<number>;
  /** Newest first; `before` is the seq of the last entry of the previous page. */
  list(filter: AuditFilter, before: bigint | null, limit: number): Promise<AuditRecord[]>;
}

/** The care-relationship projection (`accounts.care_relationships`). */
export interface CareRelationshipStore {
  /** Of `patientIds`, those the doctor (user id) has a relationship with. */
  known(doctorUserId: string, patientIds: readonly string[]): Promise<Set<string>>;
  /** Adds relationships; an existing one keeps its source and the earlier `since`. */
  record(relationships: readonly CareRelationship[]): Promise<void>;
  /** Applies an event's relationship once per (consumer, event id), in one transaction; false for a duplicate. */
  recordFromEvent(consumer: string, eventId: string, relationship: CareRelationship): Promise<boolean>;
  /** A block of events at once, each applied once per (consumer, event id), in one statement; how many were new. */
  recordFromEvents(consumer: string, items: readonly { eventId: string; relationship: CareRelationship }[]): Promise<number>;
}

/** Scheduling (and clinical), the sources of truth for care relationships. */
export interface CareRelationshipSource {
  /** Of `patientIds`, those with an appointment with `doctor` (asked with the doctor's identity). Throws when it cannot answer. */
  confirm(doctor: Identity, patientIds: readonly string[]): Promise<string[]>;
}

/** A rotation's outcome: the next token and the user's role now, or why there is none. */
export type RotateResult = { token: string; role: Role } | "used" | "inactive";

export interface RefreshTokenStore {
  /** The first token of a new family, with the user's role as it is now; null when the user is not active (or not there). */
  issue(userId: string, familyId: string, expiresAt: Date): Promise<{ token: string; role: Role } | null>;
  find(token: string): Promise<StoredRefreshToken | null>;
  /** "used": someone used the token first; "inactive": the user is deactivated (nothing changed). */
  rotate(current: StoredRefreshToken, now: Date, expiresAt: Date): Promise<RotateResult>;
  revokeFamily(familyId: string, now: Date): Promise<void>;
  /** When the session (token family) began: the sign-in time, kept across rotations. */
  familyStartedAt(familyId: string): Promise<Date | null>;
  revokeAllOfUser(userId: string, now: Date): Promise<void>;
  /** The sessions (token families) among `familyIds` that are open: known, none of their tokens revoked. */
  openSessions(familyIds: readonly string[]): Promise<Set<string>>;
}

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(hash: string, password: string): Promise<boolean>;
}

export interface AccessTokenIssuer {
  /**
   * `sessionId`: the refresh-token family the token belongs to (the `sid` claim: the router refuses the token once
   * the session ends). `authTime`: when the user last proved their password (`auth_time`); defaults to `now`.
   */
  issue(user: { id: string; role: Role }, now: Date, sessionId: string, authTime?: Date): Promise<{ token: string; expiresAt: Date }>;
}

/**
 * One sign-in attempt as the throttle counts it: the account (the e-mail's blind index, whether or not an
 * account has that e-mail) and, when known, the client address.
 */
export interface LoginAttempt {
  account: string;
  address?: string;
}

/**
 * Sign-in throttling by reservation: an attempt is counted BEFORE its password is verified, atomically with
 * the check of every limit, so no more than the limits are ever verified however many attempts arrive at once.
 * A reservation stays counted as a failure unless the sign-in succeeds (`succeeded`).
 */
export interface LoginThrottle {
  /**
   * Checks the limits and, when none refuses, counts the attempt against the account and the address, in one
   * atomic step. 0: reserved, go on and verify the password; else how long (ms) until the attempt could be
   * admitted, and nothing was counted.
   */
  reserve(attempt: LoginAttempt, limits: LoginLimits): Promise<number>;
  /** The reserved attempt signed in: the account's failures are forgotten, the address's reservation is released. */
  succeeded(attempt: LoginAttempt): Promise<void>;
  close(): Promise<void>;
}

/**
 * Per window (fixed, from the first counted attempt of a key):
 * - `perAccount` attempts verified per account (known or unknown e-mail), from however many addresses: the hard guard;
 * - `perIp` failures per address, past which that address may only try accounts without failures in their own
 *   window (so another user's right password still works behind a shared address, but guessing can't go on);
 * - `perIpHard` failures per address, past which the address is refused for every account (password spraying).
 */
export interface LoginLimits {
  perAccount: number;
  perIp: number;
  perIpHard: number;
  windowMs: number;
}

export interface RegistrationThrottle {
  /** Counts one attempt of `key`; how long until it may try again when this attempt is over the limit (0: allowed). */
  take(key: string, limit: number, windowMs: number): Promise<number>;
  close(): Promise<void>;
}

/** `perIp` registrations (successful or not) per client address per `windowMs`; 0 turns the limit off. */
export interface RegistrationLimits {
  perIp: number;
  windowMs: number;
}

/** Pending self-registrations' e-mail codes (data/registrationCodes.ts). */
export interface RegistrationCodeStore {
  /** Keeps `code` for the e-mail (by its blind index) until `expiresAt`, replacing an earlier one. */
  put(emailKey: string, code: string, expiresAt: Date): Promise<void>;
  /** True, once, when `code` is the e-mail's unexpired code; every call counts an attempt (at most `maxAttempts`). */
  consume(emailKey: string, code: string, now: Date, maxAttempts: number): Promise<boolean>;
}

/** E-mail changes: the code's lifetime, tries, and requests per user per hour. */
export interface EmailChangeSettings {
  codeTtlMs: number;
  maxAttempts: number;
  requestsPerHour: number;
}

/**
 * The messages of an e-mail change, sent by the notifications service (data/notificationsMessages.ts): written there
 * in the user's language, sent by e-mail at once to `to`, and kept in its delivery log (without the code).
 */
export type EmailChangeMessage =
  | { kind: "EMAIL_CHANGE_CODE"; userId: string; to: string; code: string; validMinutes: number }
  | { kind: "EMAIL_CHANGE_TAKEN"; userId: string; to: string }
  | { kind: "EMAIL_CHANGED"; userId: string; to: string; maskedNewEmail: string };

export interface EmailChangeMessages {
  /** Resolves once the message was sent; throws EmailChangeMessagesUnavailable when notifications did not send it. */
  send(message: EmailChangeMessage): Promise<void>;
}

/** Notifications did not answer, or could not send the message. */
export class EmailChangeMessagesUnavailable extends Error {
  override name = "EmailChangeMessagesUnavailable";
}

/** Sends one plain-text e-mail (data/mailer.ts: SMTP): registration codes. */
export interface Mailer {
  send(message: { to: string; subject: string; text: string }): Promise<void>;
}

/**
 * Self-registration proves the e-mail first (`email`): a code is sent to the address, and the account is
 * created only with it, so registration never tells anyone whether an address has an account. `off`: the
 * account is created at once and a taken e-mail answers CONFLICT (tests, trusted set-ups).
 */
export interface RegistrationVerification {
  mode: "email" | "off";
  codeTtlMs: number;
  maxAttempts: number;
  /** Code e-mails per address per hour (more requests are answered the same, without a mail). */
  mailsPerAddressPerHour: number;
}
