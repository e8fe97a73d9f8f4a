/**
 * Caller identity as it crosses from the router to the subgraphs.
 *
 * The router verifies the caller's access token (EdDSA, accounts' JWKS) and forwards who the caller is
 * as a short-lived HS256 token in the `x-clinigraph-identity` header, signed with a secret shared only
 * by the router and the subgraphs (`CLINIGRAPH_ROUTER_SECRETS`, comma-separated: the first signs, all
 * verify, so secrets rotate without downtime). A subgraph refuses every GraphQL request that lacks a
 * valid one, so a direct caller can neither skip the router nor forge a role.
 */
import { createHmac, createSecretKey, randomUUID, timingSafeEqual, type KeyObject } from "node:crypto";
import { unauthenticated } from "./errors.js";

export const ROLES = ["PATIENT", "DOCTOR", "RECEPTIONIST", "EXAMINER", "BILLING", "STAKEHOLDER", "ADMIN"] as const;
export type Role = (typeof ROLES)[number];
export const STAFF_ROLES: readonly Role[] = ["DOCTOR", "RECEPTIONIST", "EXAMINER", "BILLING", "STAKEHOLDER", "ADMIN"];

export interface Identity {
  /** null for an anonymous caller. */
  userId: string | null;
  role: Role | null;
  requestId: string;
  /** The caller's address as the router saw it (for throttling); absent on internal calls. */
  clientIp?: string;
  /** Router only: the access token's scopes (`scope` claim) and sign-in time (`auth_time`, seconds). Not forwarded. */
  scopes?: readonly string[];
  authTime?: number;
  /** Router only: the session (`sid`, the refresh-token family) and expiry (`exp`, seconds) of the access token. Not forwarded. */
  sessionId?: string;
  expiresAt?: number;
}

export const IDENTITY_HEADER = "x-clinigraph-identity";
export const REQUEST_ID_HEADER = "x-request-id";
const ISSUER = "clinigraph-router";
const AUDIENCE = "clinigraph-subgraphs";
const TTL_SECONDS = 60;

export const anonymous = (requestId: string = randomUUID()): Identity => ({ userId: null, role: null, requestId });

/** KeyObjects are imported once per secret (jose would re-import a raw key on every sign and verify). */
const keyCache = new Map<string, KeyObject>();
const keyOf = (secret: string) => {
  let key = keyCache.get(secret);
  if (!key) keyCache.set(secret, (key = createSecretKey(Buffer.from(secret, "utf8"))));
  return key;
};

export async function signIdentity(identity: Identity, secrets: readonly string[]): Promise<string> {
  return signIdentitySync(identity, secrets);
}

const JWT_HEADER = Buffer.from(JSON.stringify({ alg: "HS256" })).toString("base64url");

/**
 * `signIdentity` without a promise: a compact HS256 JWT made with node:crypto's HMAC (the router signs one per
 * request and subgraph call; WebCrypto's asynchronous signing, which jose uses, costs several times more).
 * Any JWT library verifies it (verifyIdentitySync checks it the same way, without a promise).
 */
export function signIdentitySync(identity: Identity, secrets: readonly string[]): string {
  const secret = secrets[0];
  if (!secret) throw new Error("No router secret configured (CLINIGRAPH_ROUTER_SECRETS)");
  const now = Math.floor(Date.now() / 1000);
  const claims = {
    role: identity.role ?? undefined,
    rid: identity.requestId,
    ip: identity.clientIp,
    iss: ISSUER,
    aud: AUDIENCE,
    iat: now,
    exp: now + TTL_SECONDS,
    sub: identity.userId ?? undefined,
  };
  const signingInput = `${JWT_HEADER}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}`;
  return `${signingInput}.${createHmac("sha256", keyOf(secret)).update(signingInput).digest("base64url")}`;
}

export class IdentityRejected extends Error {
  override name = "IdentityRejected";
}

export async function verifyIdentity(token: string | undefined, secrets: readonly string[]): Promise<Identity> {
  return verifyIdentitySync(token, secrets);
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;
const reject = () => new IdentityRejected("Requests must come through the router");

function decodeJson(part: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
    return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/**
 * `verifyIdentity` without a promise or WebCrypto: every subgraph verifies one of these per request, and node:crypto's
 * HMAC compared in constant time costs a few microseconds where jose's asynchronous WebCrypto check cost a quarter of
 * a millisecond. The checks are a JWT library's for this one shape: compact form, header `alg` exactly HS256 and no
 * `crit`, the signature of any configured secret (rotation), issuer, audience and an unexpired `exp`.
 */
export function verifyIdentitySync(token: string | undefined, secrets: readonly string[]): Identity {
  if (!token) throw reject();
  const parts = token.split(".");
  if (parts.length !== 3 || !parts.every((part) => BASE64URL.test(part))) throw reject();
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
  const header = decodeJson(headerPart);
  if (header?.alg !== "HS256" || "crit" in header) throw reject();
  const signature = Buffer.from(signaturePart, "base64url");
  const signingInput = `${headerPart}.${payloadPart}`;
  const signedByOneOfUs = secrets.some((secret) => {
    const expected = createHmac("sha256", keyOf(secret)).update(signingInput).digest();
    return expected.length === signature.length && timingSafeEqual(expected, signature);
  });
  if (!signedByOneOfUs) throw reject();
  const payload = decodeJson(payloadPart);
  if (!payload || payload.iss !== ISSUER) throw reject();
  const audience = payload.aud;
  if (!(audience === AUDIENCE || (Array.isArray(audience) && audience.includes(AUDIENCE)))) throw reject();
  if (typeof payload.exp !== "number" || !Number.isFinite(payload.exp) || payload.exp <= Math.floor(Date.now() / 1000)) throw reject();
  if (payload.nbf !== undefined && !(typeof payload.nbf === "number" && payload.nbf <= Math.floor(Date.now() / 1000))) throw reject();
  if (payload.sub !== undefined && typeof payload.sub !== "string") throw reject();
  const role = typeof payload.role === "string" && (ROLES as readonly string[]).includes(payload.role) ? (payload.role as Role) : null;
  const clientIp = typeof payload.ip === "string" ? payload.ip : undefined;
  return {
    userId: typeof payload.sub === "string" ? payload.sub : null,
    role,
    requestId: typeof payload.rid === "string" ? payload.rid : randomUUID(),
    ...(clientIp ? { clientIp } : {}),
  };
}

/** The access token accounts issues and the router verifies (EdDSA, accounts' JWKS). */
export const ACCESS_TOKEN_ISSUER = "clinigraph-accounts";
export const ACCESS_TOKEN_AUDIENCE = "clinigraph";

/** An identity with a signed-in user. */
export type SignedInIdentity = Identity & { userId: string; role: Role };

/**
 * How every subgraph's context gives resolvers the caller: `actorOrNull()` (null for an anonymous caller) and `actor()`
 * (UNAUTHENTICATED for an anonymous caller). `resolve` turns the signed-in identity into the subgraph's own Actor
 * (e.g. with the doctor's id looked up); it runs at most once per request.
 */
export function actorAccessors<A>(
  identity: Identity,
  resolve: (signedIn: SignedInIdentity) => A | Promise<A>,
): { actor(): Promise<A>; actorOrNull(): Promise<A | null> } {
  let resolved: Promise<A | null> | undefined;
  const actorOrNull = () =>
    (resolved ??=
      identity.userId && identity.role ? Promise.resolve(resolve({ ...identity, userId: identity.userId, role: identity.role })) : Promise.resolve(null));
  return {
    actorOrNull,
    async actor() {
      const actor = await actorOrNull();
      if (actor === null) throw unauthenticated();
      return actor;
    },
  };
}
