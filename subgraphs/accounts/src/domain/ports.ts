/** What the accounts use cases need from the outside world; wired in server.ts, faked in unit tests. */
import type { Role } from "@clinigraph/platform";
import type { NewUser, UserRecord } from "../data/users.js";
import type { StoredRefreshToken } from "../data/refreshTokens.js";

export interface UserStore {
  /** A stable, keyed pseudonym of an e-mail (its blind index), for throttling keys. */
  emailKey(email: string): string;
  create(user: NewUser): Promise<UserRecord>;
  findByEmail(email: string): Promise<UserRecord | null>;
  findById(id: string): Promise<UserRecord | null>;
  updatePassword(id: string, passwordHash: string, at: Date): Promise<void>;
}

export interface RefreshTokenStore {
  issue(userId: string, familyId: string, expiresAt: Date): Promise<string>;
  find(token: string): Promise<StoredRefreshToken | null>;
  rotate(current: StoredRefreshToken, now: Date, expiresAt: Date): Promise<string | null>;
  revokeFamily(familyId: string, now: Date): Promise<void>;
  /** When the session (token family) began: the sign-in time, kept across rotations. */
  familyStartedAt(familyId: string): Promise<Date | null>;
  revokeAllOfUser(userId: string, now: Date): Promise<void>;
}

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(hash: string, password: string): Promise<boolean>;
}

export interface AccessTokenIssuer {
  /** `authTime`: when the user last proved their password (the `auth_time` claim); defaults to `now`. */
  issue(user: { id: string; role: Role }, now: Date, authTime?: Date): Promise<{ token: string; expiresAt: Date }>;
}

export interface ThrottleKey {
  key: string;
  limit: number;
  windowMs: number;
}

export interface LoginThrottle {
  /** How long the most restricted key stays locked (0: sign-in allowed). */
  blockedForMs(keys: ThrottleKey[]): Promise<number>;
  recordFailure(keys: ThrottleKey[]): Promise<void>;
  reset(keys: ThrottleKey[]): Promise<void>;
  close(): Promise<void>;
}

export interface LoginLimits {
  perAccount: number;
  perIp: number;
  windowMs: number;
}

export interface AccountsDomainDeps {
  users: UserStore;
  refreshTokens: RefreshTokenStore;
  passwords: PasswordHasher;
  accessTokens: AccessTokenIssuer;
  clock: () => Date;
  refreshTokenTtlMs: number;
  throttle: LoginThrottle;
  loginLimits: LoginLimits;
}
