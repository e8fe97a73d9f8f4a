/**
 * Sign-in does the same work for an unknown e-mail as for a wrong password (no account enumeration by
 * timing): one Argon2id verification, one counted attempt (reserved before verifying, never released), the same error. Checked on the work done, not
 * on a stopwatch.
 */
import { describe, expect, it, jest } from "@jest/globals";
import { login } from "../src/domain/sessions.js";
import type { Deps } from "../src/domain/deps.js";
import type { UserRecord } from "../src/domain/types.js";

const known = { id: "00000000-0000-4000-8000-0000000000a1", role: "PATIENT", passwordHash: "$argon2id$stored" } as unknown as UserRecord;

function deps() {
  const verify = jest.fn(async (_hash: string, _password: string) => false);
  const hash = jest.fn(async (_password: string) => "$argon2id$dummy");
  const reserve = jest.fn(async () => 0);
  const succeeded = jest.fn(async () => undefined);
  const d = {
    users: { emailKey: (e: string) => `k:${e}`, findByEmail: async (e: string) => (e === "known@example.test" ? known : null) },
    passwords: { verify, hash },
    throttle: { reserve, succeeded, close: async () => undefined },
    loginLimits: { perAccount: 5, perIp: 20, perIpHard: 200, windowMs: 900_000 },
    clock: () => new Date("2027-03-22T07:00:00Z"),
  } as unknown as Deps;
  return { d, verify, reserve, succeeded };
}

/** An anonymous caller from 10.0.0.1. */
const FROM = { userId: null, role: null, requestId: "test", clientIp: "10.0.0.1" };

const outcome = (p: Promise<unknown>) =>
  p.then(
    () => "signed in",
    (err: { code?: string; message: string }) => `${err.code}: ${err.message}`,
  );

describe("sign-in work for unknown e-mails", () => {
  it("verifies one password hash and counts one attempt, with the same answer, whether the e-mail exists or not", async () => {
    const wrong = deps();
    const unknown = deps();
    const a = await outcome(login(wrong.d, FROM, { email: "known@example.test", password: "Wrong-password-1" }));
    const b = await outcome(login(unknown.d, FROM, { email: "nobody@example.test", password: "Wrong-password-1" }));
    expect(b).toBe(a);
    expect(a).toBe("UNAUTHENTICATED: Invalid e-mail or password");
    expect([wrong.verify.mock.calls.length, unknown.verify.mock.calls.length]).toEqual([1, 1]);
    expect(unknown.verify.mock.calls[0]![0]).toMatch(/^\$argon2id\$/); // a real hash to verify against, not a shortcut
    expect([wrong.reserve.mock.calls.length, unknown.reserve.mock.calls.length]).toEqual([1, 1]);
    expect(unknown.reserve.mock.calls[0]).toEqual([{ account: "k:nobody@example.test", address: "10.0.0.1" }, expect.anything()]);
    expect([wrong.succeeded.mock.calls.length, unknown.succeeded.mock.calls.length]).toEqual([0, 0]);
  });

  it("treats an address no account can have (mixed scripts, malformed) as an unknown e-mail: same work, same answer", async () => {
    const wrong = deps();
    const lookalike = deps();
    const malformed = deps();
    const a = await outcome(login(wrong.d, FROM, { email: "known@example.test", password: "Wrong-password-1" }));
    const b = await outcome(login(lookalike.d, FROM, { email: "known@ex\u0430mple.test", password: "Wrong-password-1" })); // Cyrillic "а"
    const c = await outcome(login(malformed.d, FROM, { email: "not an address", password: "Wrong-password-1" }));
    expect([b, c]).toEqual([a, a]);
    for (const run of [lookalike, malformed]) {
      expect(run.verify.mock.calls.length).toBe(1);
      expect(run.reserve.mock.calls.length).toBe(1);
    }
  });
});
