/**
 * The edge degrades instead of failing when its Redis goes away: rate limits fall back to per-process
 * counters, APQ lookups become misses and writes are dropped — no request hangs or errors.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { createLogger } from "@clinigraph/platform";
import { closeEdgeRedis, connectEdgeRedis, redisKeyValueCache, type EdgeRedis } from "../src/edgeStore.js";
import { createRateLimiter } from "../src/rateLimit.js";
import { testRedis, type TestRedis } from "./support/edge.js";

const logger = createLogger("edge-store-test", "silent");
let redis: TestRedis;
let client: EdgeRedis;

beforeAll(async () => {
  redis = await testRedis();
  client = await connectEdgeRedis(redis.url, logger);
});
afterAll(async () => {
  await closeEdgeRedis(client);
  await redis.close();
});

describe("edge store", () => {
  it("stores APQ entries under its prefix with the TTL Apollo asks for", async () => {
    const cache = redisKeyValueCache(client, `${redis.namespace}apq:`, logger);
    await cache.set("k", "{ __typename }", { ttl: 120 });
    expect(await cache.get("k")).toBe("{ __typename }");
    expect(await redis.ttl(`${redis.namespace}apq:k`)).toBeGreaterThan(100);
    expect(await cache.delete("k")).toBe(true);
    expect(await cache.get("k")).toBeUndefined();
  });

  it("keeps limiting in process, and misses APQ lookups, once Redis is gone", async () => {
    const gone = await connectEdgeRedis(redis.url, logger);
    const limiter = createRateLimiter({ perMinute: 2, anonymousPerMinute: 1 }, { redis: gone, keyPrefix: `${redis.namespace}rl:` });
    const cache = redisKeyValueCache(gone, `${redis.namespace}apq:`, logger);
    await closeEdgeRedis(gone);
    expect(await limiter.consume({ userId: "u1" })).toBeUndefined();
    expect(await limiter.consume({ userId: "u1" })).toBeUndefined();
    expect(await limiter.consume({ userId: "u1" })).toBeGreaterThan(0);
    expect(await cache.get("anything")).toBeUndefined();
    await expect(cache.set("anything", "{ __typename }")).resolves.toBeUndefined();
  });

  it("starts without waiting for a Redis that is down, and degrades meanwhile", async () => {
    // Nothing listens on port 1: the client can never connect, so returning at all proves the router did not wait.
    const down = await connectEdgeRedis("redis://127.0.0.1:1", logger, 200);
    try {
      expect(down.isReady).toBe(false);
      const limiter = createRateLimiter({ perMinute: 1, anonymousPerMinute: 1 }, { redis: down, keyPrefix: `${redis.namespace}rl:` });
      expect(await limiter.consume({ clientIp: "10.0.0.1" })).toBeUndefined();
      expect(await limiter.consume({ clientIp: "10.0.0.1" })).toBeGreaterThan(0);
      expect(await redisKeyValueCache(down, "apq:", logger).get("x")).toBeUndefined();
    } finally {
      await closeEdgeRedis(down); // else node-redis keeps reconnecting and Jest never exits
    }
  });
});
