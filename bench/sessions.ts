/**
 * Cost of refusing ended sessions at the router (router/src/sessions.ts) per authenticated request: the router's
 * own `authenticate` (EdDSA verification against a JWKS) without a session check, with the check answered from
 * its cache (the common case: one status request per session per `SESSION_CHECK_CACHE_MS`), and with the cache
 * off (a status request to a local stand-in for accounts on every request: the worst case). Sequential, one core.
 *
 *   pnpm bench:sessions [--iterations 5000]
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import { generateKeyPairSync, randomUUID, sign } from "node:crypto";
import { ACCESS_TOKEN_AUDIENCE, ACCESS_TOKEN_ISSUER, createLogger } from "@clinigraph/platform";
import { createAuthenticator, type Authenticate } from "../router/src/auth.js";
import { createSessionChecker } from "../router/src/sessions.js";
import { readFlags } from "./lib/flags.js";

const usage = () => "pnpm bench:sessions [--iterations <n>]";
const flags = readFlags(process.argv.slice(2), ["iterations"], usage);
const iterations = Number(flags.get("iterations") ?? 5_000);
const SECRETS = ["bench-router-secret-0123456789abcdef0123456789abcdef"];

const { privateKey, publicKey } = generateKeyPairSync("ed25519");
const jwk = { ...publicKey.export({ format: "jwk" }), kid: "bench", alg: "EdDSA", use: "sig" };
let statusRequests = 0;
const server = http.createServer((req, res) => {
  if (req.url === "/jwks") return void res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ keys: [jwk] }));
  req.resume().on("end", () => {
    statusRequests++;
    res.writeHead(200, { "content-type": "application/json" }).end('{"revoked":[]}');
  });
});
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
const nowS = Math.floor(Date.now() / 1000);
const claims = {
  iss: ACCESS_TOKEN_ISSUER,
  aud: ACCESS_TOKEN_AUDIENCE,
  sub: randomUUID(),
  role: "PATIENT",
  scope: "patient",
  iat: nowS,
  auth_time: nowS,
  exp: nowS + 600,
  sid: randomUUID(),
};
const input = `${part({ alg: "EdDSA", kid: "bench", typ: "JWT" })}.${part(claims)}`;
const token = `${input}.${sign(null, Buffer.from(input), privateKey).toString("base64url")}`;
const authorization = `Bearer ${token}`;
const logger = createLogger("bench", "silent");

async function measure(label: string, authenticate: Authenticate) {
  for (let i = 0; i < Math.min(1_000, iterations); i++) await authenticate(authorization, "bench"); // warm-up (and the JWKS download)
  const before = statusRequests;
  const samples = new Float64Array(iterations);
  const started = performance.now();
  for (let i = 0; i < iterations; i++) {
    const t = performance.now();
    await authenticate(authorization, "bench");
    samples[i] = performance.now() - t;
  }
  const total = performance.now() - started;
  samples.sort();
  const at = (q: number) => (samples[Math.min(samples.length - 1, Math.floor(q * samples.length))]! * 1000).toFixed(1);
  console.log(
    `${label.padEnd(46)} p50 ${at(0.5).padStart(7)} µs  p99 ${at(0.99).padStart(7)} µs  ${Math.round(iterations / (total / 1000))
      .toLocaleString("en")
      .padStart(7)} ops/s  status requests ${statusRequests - before}`,
  );
}

const cached = createSessionChecker({ url: `${base}/internal/sessions`, routerSecrets: SECRETS, logger, cacheMs: 5_000 });
const uncached = createSessionChecker({ url: `${base}/internal/sessions`, routerSecrets: SECRETS, logger, cacheMs: 0 });
console.log(`authenticate one access token, ${iterations} times (${new Date().toISOString()})`);
await measure("no session check", createAuthenticator({ jwksUrl: `${base}/jwks` }));
await measure("session check, cached (5 s)", createAuthenticator({ jwksUrl: `${base}/jwks`, sessions: cached }));
await measure("session check, every request (cache 0)", createAuthenticator({ jwksUrl: `${base}/jwks`, sessions: uncached }));
await Promise.all([cached.close(), uncached.close()]);
server.close();
