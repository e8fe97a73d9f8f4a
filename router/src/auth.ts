/**
 * Caller authentication: the access token issued by accounts (EdDSA, published in its JWKS; jose
 * caches the key set and refetches it when a token names an unknown key id, so keys rotate).
 * No Authorization header → anonymous (subgraphs decide what anonymous callers may do).
 * A token that is present but not valid → UNAUTHENTICATED (HTTP 401). JWKS unreachable → 503.
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
}

export const SESSION_ENDED = "The session has ended; sign in again";

export function createAuthenticator({ jwksUrl, clockToleranceSeconds = 5, jwksCooldownMs = 30_000, sessions }: AuthOptions): Authenticate {
  const jwks = createRemoteJWKSet(new URL(jwksUrl), { timeoutDuration: 3_000, cooldownDuration: jwksCooldownMs });
  return async (authorization, requestId) => {
    if (authorization === undefined || authorization.trim() === "") return anonymous(requestId);
    const match = /^Bearer\s+([A-Za-z0-9_.~+/=-]+)\s*$/i.exec(authorization);
    if (!match?.[1]) throw unauthenticatedRequest("Authorization must be a Bearer token");
    let verified: Identity & { userId: string; expiresAt: number };
    try {
      const { payload } = await jwtVerify(match[1], jwks, {
        issuer: ACCESS_TOKEN_ISSUER,
        audience: ACCESS_TOKEN_AUDIENCE,
        algorithms: ACCESS_TOKEN_ALGORITHMS,
        clockTolerance: clockToleranceSeconds,
        requiredClaims: ["sub", "exp"],
      });
      const role = payload.role;
      if (typeof role !== "string" || !(ROLES as readonly string[]).includes(role) || !payload.sub) throw unauthenticatedRequest();
      const scopes = typeof payload.scope === "string" ? payload.scope.split(" ").filter(Boolean) : [];
      const authTime = typeof payload.auth_time === "number" ? payload.auth_time : undefined;
      const sessionId = typeof payload.sid === "string" && payload.sid !== "" ? payload.sid : undefined;
      verified = {
        userId: payload.sub,
        role: role as Role,
        requestId,
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
    if (sessions) {
      if (!verified.sessionId) throw unauthenticatedRequest();
      if (await sessions.isRevoked(verified.sessionId, verified.expiresAt)) throw unauthenticatedRequest(SESSION_ENDED);
    }
    return verified;
  };
}

/** Token faults have their own JOSE error classes; a failed key-set download is a timeout, JWKSInvalid or a generic JOSEError. */
const jwksProblem = (err: InstanceType<typeof joseErrors.JOSEError>) =>
  err instanceof joseErrors.JWKSTimeout || err instanceof joseErrors.JWKSInvalid || err.code === "ERR_JOSE_GENERIC";
