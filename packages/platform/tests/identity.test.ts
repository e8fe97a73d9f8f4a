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
    [
      "signed with another algorithm (HS512)",
      () =>
        new SignJWT({ role: "ADMIN" })
          .setProtectedHeader({ alg: "HS512" })
          .setIssuer("clinigraph-router")
          .setAudience("clinigraph-subgraphs")
          .setExpirationTime("1m")
          .sign(new TextEncoder().encode(NEW)),
    ],
    [
      "without an expiry",
      () =>
        new SignJWT({ role: "ADMIN" })
          .setProtectedHeader({ alg: "HS256" })
          .setIssuer("clinigraph-router")
          .setAudience("clinigraph-subgraphs")
          .sign(new TextEncoder().encode(NEW)),
    ],
    [
      "not valid yet (nbf)",
      () =>
        new SignJWT({ role: "ADMIN" })
          .setProtectedHeader({ alg: "HS256" })
          .setIssuer("clinigraph-router")
          .setAudience("clinigraph-subgraphs")
          .setNotBefore("1m")
          .setExpirationTime("2m")
          .sign(new TextEncoder().encode(NEW)),
    ],
    [
      "from another issuer",
      () =>
        new SignJWT({ role: "ADMIN" })
          .setProtectedHeader({ alg: "HS256" })
          .setIssuer("someone-else")
          .setAudience("clinigraph-subgraphs")
          .setExpirationTime("1m")
          .sign(new TextEncoder().encode(NEW)),
    ],
    [
      "with a critical header extension",
      () =>
        new SignJWT({ role: "ADMIN" })
          .setProtectedHeader({ alg: "HS256", crit: ["b64"], b64: true })
          .setIssuer("clinigraph-router")
          .setAudience("clinigraph-subgraphs")
          .setExpirationTime("1m")
          .sign(new TextEncoder().encode(NEW)),
    ],
    [
      "tampered with (role changed after signing)",
      async () => {
        const [header, , signature] = (await signIdentity({ userId: "u1", role: "PATIENT", requestId: "r" }, [NEW])).split(".");
        const forged = Buffer.from(
          JSON.stringify({ role: "ADMIN", sub: "u1", iss: "clinigraph-router", aud: "clinigraph-subgraphs", exp: Math.floor(Date.now() / 1000) + 60 }),
        ).toString("base64url");
        return `${header}.${forged}.${signature}`;
      },
    ],
    ["with a truncated signature", async () => (await signIdentity({ userId: "u1", role: "ADMIN", requestId: "r" }, [NEW])).slice(0, -4)],
    ["with padding or spaces", async () => `${await signIdentity({ userId: "u1", role: "ADMIN", requestId: "r" }, [NEW])}=`],
  ])("refuses a token that is %s", async (_name, make) => {
    await expect(verifyIdentity(await make(), [NEW])).rejects.toBeInstanceOf(IdentityRejected);
  });

  it("accepts a token any JWT library signs the same way (an audience list, extra header fields)", async () => {
    const token = await new SignJWT({ role: "RECEPTIONIST", rid: "r9" })
      .setProtectedHeader({ alg: "HS256", typ: "JWT" })
      .setIssuer("clinigraph-router")
      .setAudience(["other", "clinigraph-subgraphs"])
      .setSubject("u9")
      .setExpirationTime("1m")
      .sign(new TextEncoder().encode(NEW));
    await expect(verifyIdentity(token, [NEW])).resolves.toEqual({ userId: "u9", role: "RECEPTIONIST", requestId: "r9" });
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
