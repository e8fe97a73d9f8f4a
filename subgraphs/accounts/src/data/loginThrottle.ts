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
      if (keys.length === 0) return 0;
      // One round trip for every key's count and remaining window.
      const multi = client.multi();
      for (const { key } of keys) multi.get(name(key)).pTTL(name(key));
      const replies = (await multi.exec()) as unknown as (string | number | null)[];
      let blocked = 0;
      keys.forEach(({ limit }, i) => {
        const count = replies[2 * i];
        const ttl = Number(replies[2 * i + 1]);
        if (count !== null && Number(count) >= limit && ttl > 0) blocked = Math.max(blocked, ttl);
      });
      return blocked;
    },
    async recordFailure(keys) {
      if (keys.length === 0) return;
      // Atomic per key: the counter is created with its window (SET NX PX) in the same transaction as the
      // increment, so a crash can never leave a counter without expiry (a lock that never lifts).
      const multi = client.multi();
      for (const { key, windowMs } of keys) multi.set(name(key), "0", { NX: true, PX: windowMs }).incr(name(key));
      await multi.exec();
    },
    async reset(keys) {
      if (keys.length) await client.del(keys.map((k) => name(k.key)));
    },
    async close() {
      await client.quit().catch(() => undefined);
    },
  };
}
