/**
 * Failed sign-ins counted per account and per client address in fixed windows; a key at its limit is
 * locked until its window ends. Redis when REDIS_URL is set (shared by every accounts replica), else in
 * memory (one process). Keys are the account's blind index and the IP, never an e-mail in clear.
 */
import { createClient } from "redis";
import type { LoginThrottle } from "../domain/ports.js";

export function createMemoryLoginThrottle(clock: () => Date = () => new Date()): LoginThrottle {
  const counters = new Map<string, { count: number; until: number }>();
  const live = (key: string) => {
    const c = counters.get(key);
    if (c && c.until <= clock().getTime()) counters.delete(key);
    return counters.get(key);
  };
  return {
    async blockedForMs(keys) {
      return Math.max(
        0,
        ...keys.map(({ key, limit }) => {
          const c = live(key);
          return c && c.count >= limit ? c.until - clock().getTime() : 0;
        }),
      );
    },
    async recordFailure(keys) {
      for (const { key, windowMs } of keys) {
        const c = live(key);
        if (c) c.count++;
        else counters.set(key, { count: 1, until: clock().getTime() + windowMs });
      }
    },
    async reset(keys) {
      for (const { key } of keys) counters.delete(key);
    },
    async close() {},
  };
}

export async function createRedisLoginThrottle(url: string, namespace = ""): Promise<LoginThrottle> {
  const client = createClient({ url });
  await client.connect();
  const name = (key: string) => `${namespace}clinigraph:login-fail:${key}`;
  return {
    async blockedForMs(keys) {
      let blocked = 0;
      for (const { key, limit } of keys) {
        const [count, ttl] = await Promise.all([client.get(name(key)), client.pTTL(name(key))]);
        if (count !== null && Number(count) >= limit && ttl > 0) blocked = Math.max(blocked, ttl);
      }
      return blocked;
    },
    async recordFailure(keys) {
      for (const { key, windowMs } of keys) {
        const count = await client.incr(name(key));
        if (count === 1) await client.pExpire(name(key), windowMs);
      }
    },
    async reset(keys) {
      if (keys.length) await client.del(keys.map((k) => name(k.key)));
    },
    async close() {
      await client.quit().catch(() => undefined);
    },
  };
}
