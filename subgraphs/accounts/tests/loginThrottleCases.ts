/**
 * Sign-in throttling cases run by `login` itself against a throttle implementation (memory in
 * loginThrottle.test.ts, Redis in loginThrottle.int.test.ts): what is verified, what is refused.
 * Users and password hashing are fakes; verification yields to the event loop like Argon2id does, so
 * parallel sign-ins really overlap.
 */
import { expect, it } from "@jest/globals";
import { login } from "../src/domain/sessions.js";
import type { Deps } from "../src/domain/deps.js";
import type { LoginLimits, LoginThrottle } from "../src/domain/ports.js";
import type { UserRecord } from "../src/domain/types.js";
import { DomainError } from "@clinigraph/platform";
import { uniqueEmail } from "@clinigraph/testing";

export const LIMITS: LoginLimits = { perAccount: 5, perIp: 20, perIpHard: 200, windowMs: 15 * 60_000 };
export const PASSWORD = "Correct-horse-42";
const WRONG = "Wrong-password-1";

export interface Fixture {
  register(email: string): void;
  /** The outcome of one sign-in: "signed in" or the error code. */
  login(email: string, password: string, address?: string): Promise<string>;
  /** Passwords verified (Argon2id runs) so far for an e-mail, known or not. */
  verified(email: string): number;
}

export function fixture(throttle: LoginThrottle, limits: LoginLimits = LIMITS): Fixture {
  const users = new Map<string, UserRecord>();
  const verifications = new Map<string, number>();
  const deps = {
    users: {
      emailKey: (email: string) => `bi:${email}`,
      findByEmail: async (email: string) => users.get(email) ?? null,
    },
    accessTokens: { issue: async () => ({ token: "access", expiresAt: new Date() }) },
    refreshTokens: { issue: async () => ({ token: "refresh", role: "PATIENT" }) },
    refreshTokenTtlMs: 60_000,
    clock: () => new Date(),
    throttle,
    loginLimits: limits,
  } as unknown as Deps;
  /** Password hashing that counts verifications for one sign-in's e-mail. */
  const passwordsFor = (email: string) => ({
    hash: async (password: string) => `hash:${password}`,
    async verify(hash: string, password: string) {
      verifications.set(email, (verifications.get(email) ?? 0) + 1);
      for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve)); // Argon2id runs off the event loop
      return hash === `hash:${password}`;
    },
  });
  return {
    register(email) {
      users.set(email, { id: email, role: "PATIENT", active: true, passwordHash: `hash:${PASSWORD}` } as unknown as UserRecord);
    },
    login(email, password, address) {
      const caller = { userId: null, role: null, requestId: "test", ...(address ? { clientIp: address } : {}) };
      return login({ ...deps, passwords: passwordsFor(email) }, caller, { email, password }).then(
        () => "signed in",
        (err: Error) => (err instanceof DomainError ? err.code : `unexpected: ${err.message}`),
      );
    },
    verified: (email) => verifications.get(email) ?? 0,
  };
}

const count = (outcomes: string[], outcome: string) => outcomes.filter((o) => o === outcome).length;

/** The cases every throttle implementation must pass; `make` builds a fresh, isolated throttle. */
export function throttleCases(make: () => Promise<LoginThrottle>, cleanup: (t: LoginThrottle) => Promise<void> = (t) => t.close()) {
  const withThrottle = async (limits: LoginLimits, body: (f: Fixture) => Promise<void>) => {
    const throttle = await make();
    try {
      await body(fixture(throttle, limits));
    } finally {
      await cleanup(throttle);
    }
  };

  it("verifies no more than the per-account limit of 31 parallel sign-ins from one address; the right password after the limit is refused", () =>
    withThrottle(LIMITS, async (f) => {
      const email = uniqueEmail("burst");
      f.register(email);
      const outcomes = await Promise.all(Array.from({ length: 31 }, (_, i) => f.login(email, i === 15 ? PASSWORD : WRONG, "203.0.113.7")));
      expect(f.verified(email)).toBe(LIMITS.perAccount);
      expect(count(outcomes, "UNAUTHENTICATED")).toBe(LIMITS.perAccount);
      expect(count(outcomes, "RATE_LIMITED")).toBe(31 - LIMITS.perAccount);
      expect(outcomes[15]).toBe("RATE_LIMITED"); // 15 attempts were sent before it
    }));

  it("holds the per-account limit in total when the parallel sign-ins come from many addresses", () =>
    withThrottle(LIMITS, async (f) => {
      const email = uniqueEmail("spread");
      f.register(email);
      const outcomes = await Promise.all(Array.from({ length: 40 }, (_, i) => f.login(email, WRONG, `198.51.100.${i % 8}`)));
      expect(f.verified(email)).toBe(LIMITS.perAccount);
      expect(count(outcomes, "UNAUTHENTICATED")).toBe(LIMITS.perAccount);
      expect(count(outcomes, "RATE_LIMITED")).toBe(40 - LIMITS.perAccount);
    }));

  it("signs in with the right password after fewer failures than the limit, and that success resets the account", () =>
    withThrottle(LIMITS, async (f) => {
      const email = uniqueEmail("typo");
      f.register(email);
      for (let i = 0; i < LIMITS.perAccount - 1; i++) expect(await f.login(email, WRONG, "192.0.2.1")).toBe("UNAUTHENTICATED");
      expect(await f.login(email, PASSWORD, "192.0.2.1")).toBe("signed in");
      for (let i = 0; i < LIMITS.perAccount; i++) expect(await f.login(email, WRONG, "192.0.2.1")).toBe("UNAUTHENTICATED");
      expect(await f.login(email, PASSWORD, "192.0.2.1")).toBe("RATE_LIMITED");
      expect(f.verified(email)).toBe(2 * LIMITS.perAccount);
    }));

  it("lets a different user's right password in from an address where many sign-ins failed, but stops the guessing there", () =>
    withThrottle(LIMITS, async (f) => {
      const shared = "203.0.113.50";
      const [victim, colleague, touched] = [uniqueEmail("victim"), uniqueEmail("colleague"), uniqueEmail("touched")];
      for (const e of [victim, colleague, touched]) f.register(e);
      // 30 unknown e-mails and 5 wrong passwords for one account, all from the shared address.
      const ghosts = Array.from({ length: 30 }, () => uniqueEmail("ghost"));
      for (const g of ghosts) expect(await f.login(g, WRONG, shared)).toBe("UNAUTHENTICATED");
      for (let i = 0; i < LIMITS.perAccount; i++) await f.login(victim, WRONG, shared);
      expect(await f.login(colleague, PASSWORD, shared)).toBe("signed in");
      // Past the address's limit, accounts that already failed (known or not: no enumeration) can't be tried from it,
      // and nothing is verified for them…
      const touchedGhost = uniqueEmail("ghost");
      expect(await f.login(touched, WRONG, "192.0.2.99")).toBe("UNAUTHENTICATED");
      expect(await f.login(touchedGhost, WRONG, "192.0.2.99")).toBe("UNAUTHENTICATED");
      expect(await f.login(touched, PASSWORD, shared)).toBe("RATE_LIMITED");
      expect(await f.login(touchedGhost, WRONG, shared)).toBe("RATE_LIMITED");
      expect(await f.login(ghosts[0]!, WRONG, shared)).toBe("RATE_LIMITED");
      expect([f.verified(touched), f.verified(touchedGhost), f.verified(ghosts[0]!)]).toEqual([1, 1, 1]);
      // …while elsewhere they still can.
      expect(await f.login(touched, PASSWORD, "192.0.2.99")).toBe("signed in");
    }));

  it("verifies only one of many parallel attempts at an account without failures from an address past its limit", () =>
    withThrottle({ ...LIMITS, perIp: 2 }, async (f) => {
      const [a, b] = ["198.51.100.200", uniqueEmail("fresh")];
      for (let i = 0; i < 2; i++) await f.login(uniqueEmail("ghost"), WRONG, a);
      const outcomes = await Promise.all(Array.from({ length: 10 }, () => f.login(b, WRONG, a)));
      expect(f.verified(b)).toBe(1);
      expect([count(outcomes, "UNAUTHENTICATED"), count(outcomes, "RATE_LIMITED")]).toEqual([1, 9]);
    }));

  it("counts only failures against the address, and refuses every account there past its hard limit", () =>
    withThrottle({ ...LIMITS, perIp: 3, perIpHard: 6 }, async (f) => {
      const address = "192.0.2.200";
      const users = Array.from({ length: 8 }, () => uniqueEmail("staff"));
      users.forEach((u) => f.register(u));
      for (const u of users) expect(await f.login(u, PASSWORD, address)).toBe("signed in"); // successes are released
      const sprayed = await Promise.all(Array.from({ length: 20 }, () => f.login(uniqueEmail("spray"), WRONG, address)));
      expect([count(sprayed, "UNAUTHENTICATED"), count(sprayed, "RATE_LIMITED")]).toEqual([6, 14]);
      expect(await f.login(users[0]!, PASSWORD, address)).toBe("RATE_LIMITED");
      expect(await f.login(users[0]!, PASSWORD, "192.0.2.201")).toBe("signed in");
    }));
}
