/**
 * Per-caller rate limits on GraphQL operations at the router (rate-limiter-flexible, fixed one-minute
 * windows): a signed-in caller is counted by user id, an anonymous one by client address, each with its
 * own limit. Counters live in Redis when the router has one (shared by every router replica), else in
 * memory; when Redis fails, per-process counters take over (the insurance limiter) instead of letting
 * every request through or refusing them all.
 */
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import type { EdgeRedis } from "./edgeStore.js";
import { addressKey } from "@clinigraph/platform";

export interface RateLimitOptions {
  /** Operations per minute per signed-in user. */
  perMinute: number;
  /** Operations per minute per client address, for callers without a token. */
  anonymousPerMinute: number;
}

export interface RateLimitCaller {
  userId?: string | null;
  clientIp?: string;
}

export interface RateLimiter {
  /** Counts one operation; resolves to the seconds to wait when the caller is over its limit. */
  consume(caller: RateLimitCaller): Promise<number | undefined>;
}

const WINDOW_SECONDS = 60;

export function createRateLimiter(options: RateLimitOptions, store?: { redis: EdgeRedis; keyPrefix: string }): RateLimiter {
  const limiter = (name: string, points: number): RateLimiterAbstract => {
    const memory = new RateLimiterMemory({ points, duration: WINDOW_SECONDS, keyPrefix: name });
    if (!store) return memory;
    return new RateLimiterRedis({
      storeClient: store.redis,
      useRedisPackage: true,
      rejectIfRedisNotReady: true,
      keyPrefix: `${store.keyPrefix}${name}`,
      points,
      duration: WINDOW_SECONDS,
      insuranceLimiter: memory,
    });
  };
  const users = limiter("user", options.perMinute);
  const anonymous = limiter("ip", options.anonymousPerMinute);
  return {
    async consume({ userId, clientIp }) {
      // Anonymous callers per address (an IPv6 /64 counts as one client: addressKey).
      const [target, key] = userId ? [users, userId] : [anonymous, clientIp ? addressKey(clientIp) : "unknown"];
      try {
        await target.consume(key);
        return undefined;
      } catch (rejection) {
        if (rejection instanceof RateLimiterRes) return Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
        throw rejection; // the store and its insurance both failed
      }
    },
  };
}
