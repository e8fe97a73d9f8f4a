/** An accounts stand-in for tests: an Ed25519 key pair, a JWKS endpoint and token minting. */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { SignJWT, exportJWK, generateKeyPair } from "jose";
import { ACCESS_TOKEN_AUDIENCE, ACCESS_TOKEN_ISSUER } from "../../src/auth.js";

type PrivateKey = Awaited<ReturnType<typeof generateKeyPair>>["privateKey"];

export interface TokenClaims {
  sub?: string;
  role?: string;
  /** Space-separated scopes. */
  scope?: string;
  /** Sign-in time, seconds since the epoch. */
  auth_time?: number;
  /** Session id (the refresh-token family). */
  sid?: string;
  /** Seconds from now (negative: already expired). */
  expiresIn?: number;
  issuer?: string;
  audience?: string;
}

export interface TestJwks {
  url: string;
  /** Key id tokens are signed with (the newest key). */
  kid(): string;
  /** Publishes a new key, which signs from now on; old keys stay published. */
  rotate(): Promise<string>;
  sign(claims?: TokenClaims, key?: PrivateKey): Promise<string>;
  /** A key pair not published in the JWKS. */
  otherPrivateKey: PrivateKey;
  /** Counts requests to the JWKS endpoint. */
  hits(): number;
  close(): Promise<void>;
}

export async function startJwks(): Promise<TestJwks> {
  const other = await generateKeyPair("EdDSA", { crv: "Ed25519" });
  const published: object[] = [];
  let kid = "";
  let privateKey: PrivateKey;
  const rotate = async () => {
    const pair = await generateKeyPair("EdDSA", { crv: "Ed25519" });
    kid = `test-key-${published.length + 1}`;
    privateKey = pair.privateKey;
    published.push({ ...(await exportJWK(pair.publicKey)), kid, alg: "EdDSA", use: "sig" });
    return kid;
  };
  await rotate();
  let hits = 0;
  const server = http.createServer((req, res) => {
    hits++;
    if (req.url !== "/.well-known/jwks.json") return void res.writeHead(404).end();
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ keys: published }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    kid: () => kid,
    rotate,
    otherPrivateKey: other.privateKey,
    hits: () => hits,
    async sign(claims = {}, key?: PrivateKey) {
      const now = Math.floor(Date.now() / 1000);
      const extra = Object.fromEntries(
        Object.entries({ role: claims.role, scope: claims.scope, auth_time: claims.auth_time, sid: claims.sid }).filter(([, v]) => v !== undefined),
      );
      const jwt = new SignJWT(extra)
        .setProtectedHeader({ alg: "EdDSA", kid, typ: "JWT" })
        .setIssuer(claims.issuer ?? ACCESS_TOKEN_ISSUER)
        .setAudience(claims.audience ?? ACCESS_TOKEN_AUDIENCE)
        .setIssuedAt(now - 600)
        .setExpirationTime(now + (claims.expiresIn ?? 300));
      if (claims.sub !== undefined) jwt.setSubject(claims.sub);
      return jwt.sign(key ?? privateKey);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
