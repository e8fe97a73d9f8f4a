/**
 * Caller authentication: the access token issued by accounts (EdDSA, published in its JWKS; jose
 * caches the key set and refetches it when a token names an unknown key id, so keys rotate).
 * No Authorization header → anonymous (subgraphs decide what anonymous callers may do).
 * A token that is present but not valid → UNAUTHENTICATED (HTTP 401). JWKS unreachable → 503.
 *
 * A verified token is remembered (`verifiedCacheMs`, default 60 s, never past its expiry; at most `verifiedCacheSize`
 * tokens, least recently used dropped first): a client sends the same token with every request for its lifetime, and
 * checking an EdDSA signature and the claims again each time was the router's largest cost per signed-in request.
 * Only what the token proves is kept; the session check below runs on every request (it has its own short cache), so
 * a sign-out still ends the token at once. A key withdrawn from the JWKS stops tokens it signed within the cache time.
 */
import { createRemoteJWKSet, errors as joseErrors, jwtVerify } from "jose";
import { GraphQLError } from "graphql";
import { ACCESS_TOKEN_AUDIENCE, ACCESS_TOKEN_ISSUER, ROLES, anonymous, type Identity, type Role } from "@clinigraph/platform";
import { authUnavailable, unauthenticatedRequest } from "./errors.js";
import type { SessionChecker } from "./sessions.js";

export { ACCESS_TOKEN_AUDIENCE, ACCESS_TOKEN_ISSUER } from "@clinigraph/platform";
export const ACCESS_TOKEN_ALGORITHMS = ["EdDSA"];

export type Authenticate = (authorization: string | undefined, requestId: string) => Promise<Identity>;

export interface AuthOptions {
  jwksUrl: string;
  /** Allowed clock skew, seconds. */
  clockToleranceSeconds?: number;
  /** Minimum time between two JWKS downloads triggered by an unknown key id, milliseconds. */
  jwksCooldownMs?: number;
  /**
   * Refuses tokens whose session has ended (sign-out, password change, refresh-token reuse): every token must
   * then carry its session id (`sid`). Without it, a valid signature and expiry are enough.
   */
  sessions?: SessionChecker;
  /** How long a verified token is trusted without verifying it again, milliseconds (default 60 000; 0: verify every time). */
  verifiedCacheMs?: number;
  /** Verified tokens remembered at most (default 10 000). */
  verifiedCacheSize?: number;
  clock?: () => number;
}

type Verified = Omit<Identity, "requestId"> & { userId: string; expiresAt: number };

export const SESSION_ENDED = "The session has ended; sign in again";

export function createAuthenticator({
  jwksUrl,
  clockToleranceSeconds = 5,
  jwksCooldownMs = 30_000,
  sessions,
  verifiedCacheMs = 60_000,
  verifiedCacheSize = 10_000,
  clock = Date.now,
}: AuthOptions): Authenticate {
  const jwks = createRemoteJWKSet(new URL(jwksUrl), { timeoutDuration: 3_000, cooldownDuration: jwksCooldownMs });
  /** token → what it proves, and until when that is trusted (ms); a Map keeps insertion order, refreshed on use. */
  const verifiedTokens = new Map<string, { verified: Verified; until: number }>();
  const remembered = (token: string): Verified | undefined => {
    const entry = verifiedTokens.get(token);
    if (!entry) return undefined;
    verifiedTokens.delete(token);
    if (entry.until <= clock()) return undefined;
    verifiedTokens.set(token, entry);
    return entry.verified;
  };
  const remember = (token: string, verified: Verified) => {
    if (verifiedCacheMs <= 0 || verifiedCacheSize <= 0) return;
    const until = Math.min(clock() + verifiedCacheMs, verified.expiresAt * 1000);
    if (verifiedTokens.size >= verifiedCacheSize) verifiedTokens.delete(verifiedTokens.keys().next().value!);
    verifiedTokens.set(token, { verified, until });
  };
  return async (authorization, requestId) => {
    if (authorization === undefined || authorization.trim() === "") return anonymous(requestId);
    const match = /^Bearer\s+([A-Za-z0-9_.~+/=-]+)\s*$/i.exec(authorization);
    if (!match?.[1]) throw unauthenticatedRequest("Authorization must be a Bearer token");
    const token = match[1];
    let verified = remembered(token);
    if (!verified) {
      verified = await verify(token);
      remember(token, verified);
    }
    if (sessions) {
      if (!verified.sessionId) throw unauthenticatedRequest();
      if (await sessions.isRevoked(verified.sessionId, verified.expiresAt)) throw unauthenticatedRequest(SESSION_ENDED);
    }
    return { ...verified, requestId };
  };

  async function verify(token: string): Promise<Verified> {
    try {
      const { payload } = await jwtVerify(token, jwks, {
        issuer: ACCESS_TOKEN_ISSUER,
        audience: ACCESS_TOKEN_AUDIENCE,
        algorithms: ACCESS_TOKEN_ALGORITHMS,
        clockTolerance: clockToleranceSeconds,
        currentDate: new Date(clock()),
        requiredClaims: ["sub", "exp"],
      });
      const role = payload.role;
      if (typeof role !== "string" || !(ROLES as readonly string[]).includes(role) || !payload.sub) throw unauthenticatedRequest();
      const scopes = typeof payload.scope === "string" ? payload.scope.split(" ").filter(Boolean) : [];
      const authTime = typeof payload.auth_time === "number" ? payload.auth_time : undefined;
      const sessionId = typeof payload.sid === "string" && payload.sid !== "" ? payload.sid : undefined;
      return {
        userId: payload.sub,
        role: role as Role,
        scopes,
        expiresAt: payload.exp!,
        ...(authTime !== undefined ? { authTime } : {}),
        ...(sessionId ? { sessionId } : {}),
      };
    } catch (err) {
      if (err instanceof GraphQLError) throw err;
      if (err instanceof joseErrors.JOSEError && !jwksProblem(err)) throw unauthenticatedRequest();
      // The key set could not be fetched (refused, timeout, non-200, not JSON): not the caller's fault.
      throw authUnavailable();
    }
  }
}

/** Token faults have their own JOSE error classes; a failed key-set download is a timeout, JWKSInvalid or a generic JOSEError. */
const jwksProblem = (err: InstanceType<typeof joseErrors.JOSEError>) =>
  err instanceof joseErrors.JWKSTimeout || err instanceof joseErrors.JWKSInvalid || err.code === "ERR_JOSE_GENERIC";
