/** Sign-in sessions: login, refresh with rotation and reuse detection, logout. */
import { randomUUID } from "node:crypto";
import { addressKey, DomainError, isUuid, rateLimited, unauthenticated, type Identity } from "@clinigraph/platform";
import type { Deps } from "./deps.js";
import type { LoginAttempt } from "./ports.js";
import type { UserRecord } from "./types.js";
import { normalizeEmail } from "./validation.js";

export interface Session {
  accessToken: string;
  refreshToken: string;
  expiresAt: Date;
  user: UserRecord;
}

const INVALID_LOGIN = "Invalid e-mail or password";

/** A fixed Argon2id hash verified when the e-mail is unknown, so both paths cost the same time. */
let dummyHash: Promise<string> | undefined;

/**
 * A deactivated account (FORBIDDEN, reason ACCOUNT_DEACTIVATED): said only to someone who proved the password (a
 * right password at login, a valid refresh token), so it tells nobody else whether an account is deactivated.
 */
export const accountDeactivated = () =>
  new DomainError("FORBIDDEN", "This account is deactivated; ask the clinic's administrator", { reason: "ACCOUNT_DEACTIVATED" });

export async function startSession(deps: Deps, user: UserRecord): Promise<Session> {
  const now = deps.clock();
  // A session is a refresh-token family; its id is the access token's `sid`, so ending it ends the access token too.
  const sessionId = randomUUID();
  // Issued only while the user is active, with the role the user has at that moment (a deactivation or role change
  // in flight is waited for), so no session outlives a deactivation or carries a role the user no longer has.
  const issued = await deps.refreshTokens.issue(user.id, sessionId, new Date(now.getTime() + deps.refreshTokenTtlMs));
  if (!issued) throw accountDeactivated();
  const current = { ...user, role: issued.role };
  const access = await deps.accessTokens.issue(current, now, sessionId);
  return { accessToken: access.token, refreshToken: issued.token, expiresAt: access.expiresAt, user: current };
}

/** Signs in with e-mail and password; `caller.clientIp` is counted by the throttle. */
export async function login(deps: Deps, caller: Identity, input: { email: string; password: string }): Promise<Session> {
  const { email: emailInput, password } = input;
  const { clientIp } = caller;
  let email: string;
  try {
    email = normalizeEmail(emailInput, "email");
  } catch {
    // An address no account can have (malformed, mixed scripts): an ordinary unknown e-mail from here — the
    // same counting, the same work and the same answer, so the refusal tells nothing either.
    email = emailInput.normalize("NFKC").trim().toLowerCase();
  }
  // The attempt is counted before the password is verified, atomically with the check: however
  // many arrive at once, no more than the limits are verified. Unknown e-mails are counted the same way.
  // Per address: an IPv4 address, or an IPv6 /64 (one client's network; addressKey).
  const attempt: LoginAttempt = { account: deps.users.emailKey(email), ...(clientIp ? { address: addressKey(clientIp) } : {}) };
  const blockedMs = await deps.throttle.reserve(attempt, deps.loginLimits);
  if (blockedMs > 0)
    throw rateLimited(`Too many failed sign-ins; try again in ${Math.ceil(blockedMs / 60_000)} minute(s)`, {
      reason: "TOO_MANY_SIGN_INS",
      retryAfter: Math.ceil(blockedMs / 1000),
    });

  // From here, an unknown e-mail does the same work (one Argon2id verification) and gets the same answer as a
  // wrong password; the reservation stays counted as the failure.
  const user = await deps.users.findByEmail(email);
  if (!user) {
    dummyHash ??= deps.passwords.hash("not-a-real-password-Aa1!");
    await deps.passwords.verify(await dummyHash, password);
    throw unauthenticated(INVALID_LOGIN);
  }
  if (!(await deps.passwords.verify(user.passwordHash, password))) throw unauthenticated(INVALID_LOGIN);
  await deps.throttle.succeeded(attempt);
  // Only now, to whoever knows the password: the account is deactivated.
  if (!user.active) throw accountDeactivated();
  return startSession(deps, user);
}

/** Exchanges a refresh token for a new session (the token is the credential: the caller is not asked). */
export async function refreshSession(deps: Deps, _caller: Identity, input: { refreshToken: string }): Promise<Session> {
  const presented = input.refreshToken;
  const now = deps.clock();
  const stored = await deps.refreshTokens.find(presented);
  if (!stored) throw unauthenticated("Invalid refresh token");
  // A deactivated user's tokens were all revoked: the holder of one learns why, rather than "already used".
  const user = await deps.users.findById(stored.userId);
  if (!user) throw unauthenticated("Invalid refresh token");
  if (!user.active) {
    await deps.refreshTokens.revokeFamily(stored.familyId, now);
    throw accountDeactivated();
  }
  if (stored.usedAt || stored.revokedAt) {
    // A token that was already exchanged is being replayed: whoever holds the family may be an attacker.
    await deps.refreshTokens.revokeFamily(stored.familyId, now);
    throw unauthenticated("Refresh token was already used; the session is revoked, sign in again");
  }
  if (stored.expiresAt.getTime() <= now.getTime()) throw unauthenticated("Refresh token expired; sign in again");
  const next = await deps.refreshTokens.rotate(stored, now, new Date(now.getTime() + deps.refreshTokenTtlMs));
  if (next === "inactive") {
    await deps.refreshTokens.revokeFamily(stored.familyId, now);
    throw accountDeactivated();
  }
  if (next === "used") {
    await deps.refreshTokens.revokeFamily(stored.familyId, now);
    throw unauthenticated("Refresh token was already used; the session is revoked, sign in again");
  }
  // The refreshed token keeps the sign-in time, so step-up rules (`recent_login`) see how old the session is.
  const authTime = (await deps.refreshTokens.familyStartedAt(stored.familyId)) ?? now;
  const current = { ...user, role: next.role };
  const access = await deps.accessTokens.issue(current, now, stored.familyId, authTime);
  return { accessToken: access.token, refreshToken: next.token, expiresAt: access.expiresAt, user: current };
}

/** Ends the session the refresh token belongs to. False when the token is unknown. */
export async function logout(deps: Deps, _caller: Identity, input: { refreshToken: string }): Promise<boolean> {
  const stored = await deps.refreshTokens.find(input.refreshToken);
  if (!stored) return false;
  await deps.refreshTokens.revokeFamily(stored.familyId, deps.clock());
  return true;
}

/**
 * Which of these sessions have ended (signed out, password changed, refresh token reused, user deactivated or given
 * another role, or unknown): the router asks before it accepts an access token (`sid`) and while a WebSocket stays open.
 */
export async function endedSessions(deps: Deps, sessionIds: readonly string[]): Promise<string[]> {
  const open = await deps.refreshTokens.openSessions(sessionIds.filter(isUuid));
  return sessionIds.filter((id) => !open.has(id));
}
