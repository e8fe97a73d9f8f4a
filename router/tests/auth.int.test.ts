/** Caller authentication against a JWKS server: key rotation and an unreachable key set. */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { GraphQLError } from "graphql";
import { createAuthenticator } from "../src/auth.js";
import { startJwks, type TestJwks } from "./support/jwks.js";

let jwks: TestJwks;
beforeAll(async () => {
  jwks = await startJwks();
});
afterAll(async () => {
  await jwks?.close();
});

const codeAndStatus = async (promise: Promise<unknown>) => {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(GraphQLError);
  const { code, http: httpExt } = (err as GraphQLError).extensions as { code: string; http: { status: number } };
  return { code, status: httpExt.status };
};

it("returns the caller's identity from a valid token", async () => {
  const authenticate = createAuthenticator({ jwksUrl: jwks.url });
  const token = await jwks.sign({ sub: "u1", role: "RECEPTIONIST", scope: "staff reception", auth_time: 1_800_000_000 });
  expect(await authenticate(`Bearer ${token}`, "rid-1")).toEqual({
    userId: "u1",
    role: "RECEPTIONIST",
    requestId: "rid-1",
    scopes: ["staff", "reception"],
    authTime: 1_800_000_000,
    expiresAt: expect.any(Number),
  });
});

it("accepts tokens signed by a newly rotated key (refetches the JWKS on an unknown kid)", async () => {
  const authenticate = createAuthenticator({ jwksUrl: jwks.url, jwksCooldownMs: 0 });
  expect(await authenticate(`Bearer ${await jwks.sign({ sub: "u1", role: "PATIENT" })}`, "r")).toMatchObject({ userId: "u1" });
  const oldToken = await jwks.sign({ sub: "u1", role: "PATIENT" });
  await jwks.rotate();
  expect(await authenticate(`Bearer ${await jwks.sign({ sub: "u2", role: "ADMIN" })}`, "r")).toMatchObject({ userId: "u2", role: "ADMIN" });
  expect(await authenticate(`Bearer ${oldToken}`, "r")).toMatchObject({ userId: "u1" });
});

it("answers 503 SERVICE_UNAVAILABLE, not 401 or 500, when the JWKS cannot be fetched", async () => {
  const dead = http.createServer();
  await new Promise<void>((resolve) => dead.listen(0, "127.0.0.1", resolve));
  const { port } = dead.address() as AddressInfo;
  await new Promise<void>((resolve) => dead.close(() => resolve()));
  const token = await jwks.sign({ sub: "u1", role: "PATIENT" });
  const refused = createAuthenticator({ jwksUrl: `http://127.0.0.1:${port}/.well-known/jwks.json` });
  expect(await codeAndStatus(refused(`Bearer ${token}`, "r"))).toEqual({ code: "SERVICE_UNAVAILABLE", status: 503 });
  const notFound = createAuthenticator({ jwksUrl: new URL("/nope", jwks.url).toString() });
  expect(await codeAndStatus(notFound(`Bearer ${token}`, "r"))).toEqual({ code: "SERVICE_UNAVAILABLE", status: 503 });
});

it("treats an empty Authorization header as anonymous", async () => {
  const authenticate = createAuthenticator({ jwksUrl: jwks.url });
  expect(await authenticate("", "rid")).toEqual({ userId: null, role: null, requestId: "rid" });
  expect(await authenticate(undefined, "rid")).toEqual({ userId: null, role: null, requestId: "rid" });
});

describe("verified tokens are remembered", () => {
  it("answers the same identity for the same token, each request with its own request id", async () => {
    const authenticate = createAuthenticator({ jwksUrl: jwks.url });
    const token = `Bearer ${await jwks.sign({ sub: "u7", role: "DOCTOR", scope: "staff" })}`;
    const first = await authenticate(token, "r1");
    const second = await authenticate(token, "r2");
    expect(second).toEqual({ ...first, requestId: "r2" });
    expect(first.requestId).toBe("r1");
  });

  it("never past the token's expiry: an expired token is refused although it was verified before", async () => {
    let now = Date.now();
    const authenticate = createAuthenticator({ jwksUrl: jwks.url, clock: () => now, clockToleranceSeconds: 0 });
    const token = `Bearer ${await jwks.sign({ sub: "u8", role: "PATIENT", expiresIn: 30 })}`;
    expect(await authenticate(token, "r")).toMatchObject({ userId: "u8" });
    now += 20_000;
    expect(await authenticate(token, "r")).toMatchObject({ userId: "u8" });
    now += 15_000;
    expect(await codeAndStatus(authenticate(token, "r"))).toEqual({ code: "UNAUTHENTICATED", status: 401 });
  });

  it("still asks whether the session has ended on every request", async () => {
    let ended = false;
    const asked: string[] = [];
    const sessions = {
      isRevoked: async (sessionId: string) => {
        asked.push(sessionId);
        return ended;
      },
      close: async () => undefined,
    };
    const authenticate = createAuthenticator({ jwksUrl: jwks.url, sessions });
    const token = `Bearer ${await jwks.sign({ sub: "u9", role: "PATIENT", sid: "family-1" })}`;
    expect(await authenticate(token, "r")).toMatchObject({ userId: "u9", sessionId: "family-1" });
    ended = true;
    expect(await codeAndStatus(authenticate(token, "r"))).toEqual({ code: "UNAUTHENTICATED", status: 401 });
    expect(asked).toEqual(["family-1", "family-1"]);
  });

  it("keeps at most verifiedCacheSize tokens, and verifies the others again", async () => {
    const authenticate = createAuthenticator({ jwksUrl: jwks.url, verifiedCacheSize: 2 });
    const tokens = await Promise.all(["a", "b", "c"].map(async (sub) => `Bearer ${await jwks.sign({ sub, role: "PATIENT" })}`));
    for (let round = 0; round < 2; round++)
      for (const [i, token] of tokens.entries()) expect(await authenticate(token, "r")).toMatchObject({ userId: ["a", "b", "c"][i] });
  });
});
