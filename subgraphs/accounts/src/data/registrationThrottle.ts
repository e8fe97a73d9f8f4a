/**
 * Registration attempts counted per client address in fixed windows: an address that has made
 * `limit` attempts in the current window is refused until the window ends, so testing which e-mail
 * addresses have an account (CONFLICT) is slow. Redis when REDIS_URL is set (shared by every accounts
 * replica), else in memory (one process). Keys are the address, never an e-mail.
 */
import { createClient } from "redis";
import type { RegistrationThrottle } from "../domain/ports.js";

export function createMemoryRegistrationThrottle(clock: () => Date = () => new Date()): RegistrationThrottle {
  const counters = new Map<string, { count: number; until: number }>();
  return {
    async take(key, limit, windowMs) {
      const now = clock().getTime();
      let c = counters.get(key);
      if (!c || c.until <= now) counters.set(key, (c = { count: 0, until: now + windowMs }));
      c.count++;
      // Expired counters of other addresses are dropped as they are met, so the map stays small.
      if (counters.size > 10_000) for (const [k, v] of counters) if (v.until <= now) counters.delete(k);
      return c.count > limit ? c.until - now : 0;
    },
    async close() {},
  };
}

export async function createRedisRegistrationThrottle(url: string, namespace = ""): Promise<RegistrationThrottle> {
  const client = createClient({ url });
  await client.connect();
  const name = (key: string) => `${namespace}clinigraph:register:${key}`;
  return {
    async take(key, limit, windowMs) {
      // The counter is created with its window in the same transaction as the increment: never a counter without expiry.
      const replies = (await client.multi().set(name(key), "0", { NX: true, PX: windowMs }).incr(name(key)).pTTL(name(key)).exec()) as unknown as [
        unknown,
        number,
        number,
      ];
      const count = Number(replies[1]);
      const ttl = Number(replies[2]);
      return count > limit ? Math.max(ttl, 1) : 0;
    },
    async close() {
      await client.quit().catch(() => undefined);
    },
  };
}
