/**
 * Sign-in does the same work for an unknown e-mail as for a wrong password (no account enumeration by
 * timing): one Argon2id verification, one recorded failure, the same error. Checked on the work done, not
 * on a stopwatch.
 */
import { describe, expect, it, jest } from "@jest/globals";
import { login } from "../src/domain/sessions.js";
import type { AccountsDomainDeps } from "../src/domain/ports.js";
import type { UserRecord } from "../src/data/users.js";

const known = { id: "00000000-0000-4000-8000-0000000000a1", role: "PATIENT", passwordHash: "$argon2id$stored" } as unknown as UserRecord;

function deps() {
  const verify = jest.fn(async (_hash: string, _password: string) => false);
  const hash = jest.fn(async (_password: string) => "$argon2id$dummy");
  const recordFailure = jest.fn(async () => undefined);
  const d = {
    users: { emailKey: (e: string) => `k:${e}`, findByEmail: async (e: string) => (e === "known@example.test" ? known : null) },
    passwords: { verify, hash },
    throttle: { blockedForMs: async () => 0, recordFailure, reset: async () => undefined, close: async () => undefined },
    loginLimits: { perAccount: 5, perIp: 20, windowMs: 900_000 },
    clock: () => new Date("2027-03-22T07:00:00Z"),
  } as unknown as AccountsDomainDeps;
  return { d, verify, recordFailure };
}

const outcome = (p: Promise<unknown>) =>
  p.then(
    () => "signed in",
    (err: { code?: string; message: string }) => `${err.code}: ${err.message}`,
  );

describe("sign-in work for unknown e-mails", () => {
  it("verifies one password hash and records one failure, with the same answer, whether the e-mail exists or not", async () => {
    const wrong = deps();
    const unknown = deps();
    const a = await outcome(login(wrong.d, "known@example.test", "Wrong-password-1", "10.0.0.1"));
    const b = await outcome(login(unknown.d, "nobody@example.test", "Wrong-password-1", "10.0.0.1"));
    expect(b).toBe(a);
    expect(a).toBe("UNAUTHENTICATED: Invalid e-mail or password");
    expect([wrong.verify.mock.calls.length, unknown.verify.mock.calls.length]).toEqual([1, 1]);
    expect(unknown.verify.mock.calls[0]![0]).toMatch(/^\$argon2id\$/); // a real hash to verify against, not a shortcut
    expect([wrong.recordFailure.mock.calls.length, unknown.recordFailure.mock.calls.length]).toEqual([1, 1]);
  });
});
