import { describe, expect, it, jest } from "@jest/globals";
import { randomUUID } from "node:crypto";
import { SignJWT } from "jose";
import { IdentityRejected, actorAccessors, signIdentity, verifyIdentity } from "../src/identity.js";

const OLD = "old-secret-0123456789abcdef0123456789";
const NEW = "new-secret-0123456789abcdef0123456789";

describe("router identity header", () => {
  it("round-trips user, role and request id", async () => {
    const token = await signIdentity({ userId: "u1", role: "DOCTOR", requestId: "r1" }, [NEW]);
    await expect(verifyIdentity(token, [NEW])).resolves.toEqual({ userId: "u1", role: "DOCTOR", requestId: "r1" });
  });

  it("keeps anonymous callers anonymous", async () => {
    const token = await signIdentity({ userId: null, role: null, requestId: "r2" }, [NEW]);
    await expect(verifyIdentity(token, [NEW])).resolves.toEqual({ userId: null, role: null, requestId: "r2" });
  });

  it("accepts tokens signed with any configured secret (rotation)", async () => {
    const token = await signIdentity({ userId: "u1", role: "ADMIN", requestId: "r" }, [OLD]);
    await expect(verifyIdentity(token, [NEW, OLD])).resolves.toMatchObject({ role: "ADMIN" });
  });

  it.each([
    ["missing", async () => undefined],
    ["signed with an unknown secret", () => signIdentity({ userId: "u1", role: "ADMIN", requestId: "r" }, ["attacker-secret-0123456789abcdef0123"])],
    ["garbage", async () => "not.a.jwt"],
    [
      "expired",
      () =>
        new SignJWT({ role: "ADMIN" })
          .setProtectedHeader({ alg: "HS256" })
          .setIssuer("clinigraph-router")
          .setAudience("clinigraph-subgraphs")
          .setExpirationTime(Math.floor(Date.now() / 1000) - 10)
          .sign(new TextEncoder().encode(NEW)),
    ],
    [
      "for another audience",
      () =>
        new SignJWT({ role: "ADMIN" })
          .setProtectedHeader({ alg: "HS256" })
          .setIssuer("clinigraph-router")
          .setAudience("elsewhere")
          .setExpirationTime("1m")
          .sign(new TextEncoder().encode(NEW)),
    ],
    [
      "unsigned (alg none)",
      async () =>
        `${Buffer.from('{"alg":"none"}').toString("base64url")}.${Buffer.from('{"role":"ADMIN","iss":"clinigraph-router","aud":"clinigraph-subgraphs"}').toString("base64url")}.`,
    ],
  ])("refuses a token that is %s", async (_name, make) => {
    await expect(verifyIdentity(await make(), [NEW])).rejects.toBeInstanceOf(IdentityRejected);
  });

  it("drops an unknown role instead of trusting it", async () => {
    const token = await new SignJWT({ role: "SUPERUSER" })
      .setProtectedHeader({ alg: "HS256" })
      .setIssuer("clinigraph-router")
      .setAudience("clinigraph-subgraphs")
      .setSubject("u1")
      .setExpirationTime("1m")
      .sign(new TextEncoder().encode(NEW));
    await expect(verifyIdentity(token, [NEW])).resolves.toMatchObject({ userId: "u1", role: null });
  });
});

describe("actorAccessors", () => {
  it("refuses an anonymous identity (UNAUTHENTICATED), answers null for it, and resolves a signed-in one once", async () => {
    const resolve = jest.fn(async ({ userId, role }: { userId: string; role: string }) => ({ userId, role, extra: 1 }));
    for (const identity of [
      { userId: null, role: null, requestId: "r" },
      { userId: randomUUID(), role: null, requestId: "r" },
    ]) {
      const accessors = actorAccessors(identity, resolve);
      await expect(accessors.actor()).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
      await expect(accessors.actorOrNull()).resolves.toBeNull();
    }
    const userId = randomUUID();
    const accessors = actorAccessors({ userId, role: "DOCTOR", requestId: "r" }, resolve);
    await expect(accessors.actor()).resolves.toEqual({ userId, role: "DOCTOR", extra: 1 });
    await expect(accessors.actorOrNull()).resolves.toEqual({ userId, role: "DOCTOR", extra: 1 });
    expect(resolve).toHaveBeenCalledTimes(1);
  });
});
