/**
 * Per-caller rate limits through a real router, the same cases against both backends (memory and the
 * real Redis, keys namespaced per test): a caller over its limit gets RATE_LIMITED with HTTP 429 and
 * Retry-After before any subgraph is called; other callers are unaffected; graphql-ws subscribe
 * messages count too.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "@jest/globals";
import { randomUUID } from "node:crypto";
import { createClient as createWsClient } from "graphql-ws";
import WebSocket from "ws";
import type { RouterOptions } from "../src/server.js";
import { startFederation, type Federation } from "./support/fixture.js";
import { subgraphRequests, testRedis, type TestRedis } from "./support/edge.js";

const LIMITS = { perMinute: 3, anonymousPerMinute: 2 };

interface Result {
  status: number;
  retryAfter: string | null;
  body: { data?: unknown; errors?: { message: string; extensions?: { code?: string; retryAfter?: number } }[] };
}

async function whoami(fixture: Federation, token?: string): Promise<Result> {
  const res = await fetch(fixture.url, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query: "{ whoami { userId } }" }),
  });
  return { status: res.status, retryAfter: res.headers.get("retry-after"), body: (await res.json()) as Result["body"] };
}

function expectLimited(res: Result) {
  expect(res.status).toBe(429);
  expect(res.body.data).toBeUndefined();
  expect(res.body.errors?.[0]?.extensions?.code).toBe("RATE_LIMITED");
  const seconds = Number(res.retryAfter);
  expect(seconds).toBeGreaterThanOrEqual(1);
  expect(seconds).toBeLessThanOrEqual(60);
  expect(res.body.errors?.[0]?.extensions?.retryAfter).toBe(seconds);
}

describe.each([
  ["in memory", false],
  ["in Redis", true],
])("rate limits %s", (_name, useRedis) => {
  let redis: TestRedis | undefined;
  let fixture: Federation;
  const extra: Federation[] = [];
  const start = (options: Partial<RouterOptions> = {}) =>
    startFederation({ rateLimit: LIMITS, ...(redis && { redisUrl: redis.url, redisNamespace: redis.namespace }), ...options });
  /** A router of its own (anonymous callers all come from 127.0.0.1). */
  const isolated = async () => {
    const f = await start(redis ? { redisNamespace: `${redis.namespace}${randomUUID()}:` } : {});
    extra.push(f);
    return f;
  };
  const token = (sub: string) => fixture.jwks.sign({ sub, role: "PATIENT" });

  beforeAll(async () => {
    redis = useRedis ? await testRedis() : undefined;
    fixture = await start();
  });
  afterEach(async () => {
    await Promise.all(extra.splice(0).map((f) => f.close()));
  });
  afterAll(async () => {
    await fixture?.close();
    await redis?.close();
  });

  it("refuses a signed-in caller's operations over the limit, before any subgraph, and not another caller's", async () => {
    const [alice, bob] = [`alice-${randomUUID()}`, `bob-${randomUUID()}`];
    const aliceToken = await token(alice);
    for (let i = 0; i < LIMITS.perMinute; i++) expect((await whoami(fixture, aliceToken)).body.data).toEqual({ whoami: { userId: alice } });
    const before = await subgraphRequests(fixture.origin);
    expectLimited(await whoami(fixture, aliceToken));
    expect(await subgraphRequests(fixture.origin)).toBe(before);
    // Bob has his own budget, even from the same address.
    const bobToken = await token(bob);
    for (let i = 0; i < LIMITS.perMinute; i++) expect((await whoami(fixture, bobToken)).body.data).toEqual({ whoami: { userId: bob } });
    expectLimited(await whoami(fixture, bobToken));
  });

  it("gives anonymous callers a lower limit per client address", async () => {
    const own = await isolated();
    for (let i = 0; i < LIMITS.anonymousPerMinute; i++) expect((await whoami(own)).body.data).toEqual({ whoami: { userId: null } });
    expectLimited(await whoami(own));
    // A signed-in caller from the same address keeps their own budget.
    expect((await whoami(own, await own.jwks.sign({ sub: `carol-${randomUUID()}`, role: "PATIENT" }))).status).toBe(200);
  });

  it("counts requests with a bad token against the client address", async () => {
    const own = await isolated();
    for (let i = 0; i < LIMITS.anonymousPerMinute; i++) expect((await whoami(own, "not-a-jwt")).status).toBe(401);
    expectLimited(await whoami(own, "not-a-jwt"));
    expectLimited(await whoami(own));
  });

  it("counts graphql-ws subscribe messages too", async () => {
    const dave = `dave-${randomUUID()}`;
    const daveToken = await token(dave);
    const client = createWsClient({
      url: fixture.url.replace("http", "ws"),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: { authorization: `Bearer ${daveToken}` },
    });
    const subscribe = () =>
      new Promise<{ message?: string; extensions?: { code?: string } }[]>((resolve) => {
        const seen: { message?: string; extensions?: { code?: string } }[] = [];
        client.subscribe(
          { query: "subscription { anything }" },
          { next: (r) => seen.push(...(r.errors ?? [])), error: (err) => resolve(err as typeof seen), complete: () => resolve(seen) },
        );
      });
    try {
      for (let i = 0; i < LIMITS.perMinute - 1; i++) expect((await whoami(fixture, daveToken)).status).toBe(200);
      expect((await subscribe())[0]?.extensions?.code).not.toBe("RATE_LIMITED"); // the third operation: admitted (then invalid)
      const refused = await subscribe();
      expect(refused[0]?.extensions?.code).toBe("RATE_LIMITED");
      expectLimited(await whoami(fixture, daveToken));
    } finally {
      await client.dispose();
    }
  });

  if (useRedis) {
    it("keeps the counters in Redis under the router's namespace, shared by every router replica", async () => {
      const erin = `erin-${randomUUID()}`;
      const erinToken = await token(erin);
      for (let i = 0; i < LIMITS.perMinute; i++) await whoami(fixture, erinToken);
      const key = `${redis!.namespace}clinigraph:router:ratelimit:user:${erin}`;
      expect(await redis!.keys()).toContain(key);
      const ttl = await redis!.ttl(key);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(60);
      // Another replica on the same Redis sees the spent budget (same JWKS: the replica trusts the fixture's tokens).
      const replica = await startFederation({ rateLimit: LIMITS, redisUrl: redis!.url, redisNamespace: redis!.namespace, jwksUrl: fixture.jwks.url });
      extra.push(replica);
      expectLimited(await whoami(replica, erinToken));
    });
  }
});
