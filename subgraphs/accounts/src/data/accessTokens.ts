import { SignJWT } from "jose";
import { ACCESS_TOKEN_AUDIENCE, ACCESS_TOKEN_ISSUER, scopesFor, type Role } from "@clinigraph/platform";
import type { AccessTokenIssuer } from "../domain/ports.js";
import { ACCESS_TOKEN_ALG, type SigningKeySet } from "./signingKeys.js";

export { ACCESS_TOKEN_AUDIENCE, ACCESS_TOKEN_ISSUER } from "@clinigraph/platform";

export function createAccessTokenIssuer(keys: SigningKeySet, ttlSeconds: number): AccessTokenIssuer {
  return {
    async issue(user: { id: string; role: Role }, now: Date, sessionId: string, authTime: Date = now) {
      const iat = Math.floor(now.getTime() / 1000);
      const exp = iat + ttlSeconds;
      const claims = { role: user.role, scope: scopesFor(user.role).join(" "), auth_time: Math.floor(authTime.getTime() / 1000), sid: sessionId };
      const token = await new SignJWT(claims)
        .setProtectedHeader({ alg: ACCESS_TOKEN_ALG, kid: keys.kid, typ: "JWT" })
        .setIssuer(ACCESS_TOKEN_ISSUER)
        .setAudience(ACCESS_TOKEN_AUDIENCE)
        .setSubject(user.id)
        .setIssuedAt(iat)
        .setExpirationTime(exp)
        .sign(keys.privateKey);
      return { token, expiresAt: new Date(exp * 1000) };
    },
  };
}
