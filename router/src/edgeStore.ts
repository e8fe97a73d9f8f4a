/**
 * The router's Redis connection for edge state (rate-limit counters, the APQ cache), and the APQ cache
 * over it. The edge must not hang on Redis: commands fail at once while the connection is down (no
 * offline queue) and every caller degrades — rate limits fall back to per-process counters, an APQ
 * lookup that fails is a miss (the client resends the query), a failed write is dropped.
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { createClient } from "redis";
import type { PersistedQueryOptions } from "@apollo/server";
import type { Logger } from "@clinigraph/platform";

export type EdgeRedis = ReturnType<typeof createClient>;
export type KeyValueCache = NonNullable<PersistedQueryOptions["cache"]>;

/**
 * Connects, waiting at most `waitMs` for Redis: a router whose Redis is down still starts (with the
 * fallbacks above) and switches to Redis once it is reachable — node-redis keeps reconnecting.
 */
export async function connectEdgeRedis(url: string, logger: Logger, waitMs = 2_000): Promise<EdgeRedis> {
  // Loaded only when the router uses Redis: node-redis is a few megabytes of heap a router without it never needs.
  const { createClient } = await import("redis");
  const client = createClient({ url, disableOfflineQueue: true, socket: { connectTimeout: 5_000 } });
  let lastLog = 0;
  client.on("error", (err: unknown) => {
    // Reconnection errors arrive many times a second while Redis is down: log one in ten seconds.
    if (Date.now() - lastLog < 10_000) return;
    lastLog = Date.now();
    logger.error({ err }, "router redis connection error (rate limits per process, APQ misses until it is back)");
  });
  const connected = client.connect().then(
    () => true,
    () => false, // closed before it ever connected
  );
  if (!(await Promise.race([connected, sleep(waitMs, false, { ref: false })]))) {
    logger.error("router redis not reachable yet: rate limits per process and no APQ cache until it is");
  }
  return client;
}

/** Closes the connection, whether or not it ever came up. */
export async function closeEdgeRedis(client: EdgeRedis): Promise<void> {
  if (!client.isOpen) return;
  if (client.isReady) await client.close().catch(() => client.destroy());
  else client.destroy();
}

/** Apollo's KeyValueCache over Redis, under `prefix`. */
export function redisKeyValueCache(client: EdgeRedis, prefix: string, logger: Logger): KeyValueCache {
  const warn = (err: unknown, op: string) => logger.warn({ err, op }, "APQ cache unavailable");
  return {
    async get(key) {
      try {
        return (await client.get(prefix + key)) ?? undefined;
      } catch (err) {
        warn(err, "get");
        return undefined;
      }
    },
    async set(key, value, options) {
      try {
        const ttl = options?.ttl;
        await client.set(prefix + key, value, ttl ? { expiration: { type: "EX", value: Math.ceil(ttl) } } : undefined);
      } catch (err) {
        warn(err, "set");
      }
    },
    async delete(key) {
      try {
        return (await client.del(prefix + key)) > 0;
      } catch (err) {
        warn(err, "delete");
        return false;
      }
    },
  };
}
