/**
 * The router's session checker (router/src/sessions.ts) against a stand-in for accounts' status endpoint: one
 * request for every question asked in the same tick, "open" answers cached for `cacheMs` on a fake clock,
 * revocations remembered until the token expires, and a valid token accepted while accounts cannot answer.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "@jest/globals";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { createLogger, verifyIdentity } from "@clinigraph/platform";
import { TEST_ROUTER_SECRETS } from "@clinigraph/testing";
import { createSessionChecker, type SessionChecker } from "../src/sessions.js";

const SECRETS = TEST_ROUTER_SECRETS;
const ended = new Set<string>();
const requests: string[][] = [];
let failing = false;
let server: http.Server;
let url: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", async () => {
      // Only the router may ask: its signed identity header is required, as on accounts.
      const identity = await verifyIdentity(req.headers["x-clinigraph-identity"] as string | undefined, SECRETS).catch(() => null);
      if (failing || !identity) {
        res.writeHead(failing ? 503 : 401, { "content-type": "application/json" }).end("{}");
        return;
      }
      const { sessions } = JSON.parse(body) as { sessions: string[] };
      requests.push(sessions);
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ revoked: sessions.filter((s) => ended.has(s)) }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/internal/sessions`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

let checker: SessionChecker | undefined;
afterEach(async () => {
  await checker?.close();
  requests.length = 0;
  ended.clear();
  failing = false;
});

function newChecker(cacheMs: number) {
  const clock = { now: 1_000_000 };
  checker = createSessionChecker({ url, routerSecrets: SECRETS, logger: createLogger("test", "silent"), cacheMs, clock: () => clock.now });
  return { checker, clock };
}
const exp = (clock: { now: number }, seconds: number) => Math.floor(clock.now / 1000) + seconds;

describe("session checker", () => {
  it("asks once for every question of the same tick", async () => {
    const { checker, clock } = newChecker(5_000);
    ended.add("s-2");
    const answers = await Promise.all(["s-1", "s-2", "s-1", "s-3", "s-2"].map((sid) => checker.isRevoked(sid, exp(clock, 600))));
    expect(answers).toEqual([false, true, false, false, true]);
    expect(requests).toHaveLength(1);
    expect([...requests[0]!].sort()).toEqual(["s-1", "s-2", "s-3"]);
  });

  it("trusts an open session for cacheMs, then asks again (and sees the sign-out)", async () => {
    const { checker, clock } = newChecker(5_000);
    expect(await checker.isRevoked("s-1", exp(clock, 600))).toBe(false);
    ended.add("s-1");
    clock.now += 4_999;
    expect(await checker.isRevoked("s-1", exp(clock, 600))).toBe(false); // still cached
    expect(requests).toHaveLength(1);
    clock.now += 1;
    expect(await checker.isRevoked("s-1", exp(clock, 600))).toBe(true);
    expect(requests).toHaveLength(2);
  });

  it("with cacheMs 0 asks on every request", async () => {
    const { checker, clock } = newChecker(0);
    await checker.isRevoked("s-1", exp(clock, 600));
    await checker.isRevoked("s-1", exp(clock, 600));
    expect(requests).toHaveLength(2);
  });

  it("remembers a revocation until the token expires, without asking again", async () => {
    const { checker, clock } = newChecker(5_000);
    ended.add("s-1");
    expect(await checker.isRevoked("s-1", exp(clock, 600))).toBe(true);
    ended.delete("s-1"); // a session never reopens; the checker does not ask
    clock.now += 590_000;
    expect(await checker.isRevoked("s-1", exp(clock, 600))).toBe(true);
    expect(requests).toHaveLength(1);
  });

  it("accepts a valid token while accounts cannot answer, and keeps what it already knows", async () => {
    const { checker, clock } = newChecker(5_000);
    ended.add("s-known");
    expect(await checker.isRevoked("s-known", exp(clock, 600))).toBe(true);
    failing = true;
    expect(await checker.isRevoked("s-new", exp(clock, 600))).toBe(false);
    expect(await checker.isRevoked("s-known", exp(clock, 600))).toBe(true);
    // The failed answer was not cached: once accounts is back, the next request asks.
    failing = false;
    ended.add("s-new");
    expect(await checker.isRevoked("s-new", exp(clock, 600))).toBe(true);
  });
});
