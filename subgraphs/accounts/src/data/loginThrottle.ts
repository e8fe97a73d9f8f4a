/**
 * Sign-in attempts counted per account and per client address in fixed windows, by reservation: the
 * check of every limit and the count of the attempt are one atomic step taken BEFORE the password is
 * verified, so parallel attempts can't all pass the check. A key past its limit refuses
 * until its window ends; refused attempts are not counted. Redis when REDIS_URL is set (one Lua script,
 * shared by every accounts replica), else in memory (one process). Keys are the account's blind index
 * and the IP, never an e-mail in clear. The limits: `LoginLimits` in domain/ports.ts.
 */
import { createClient } from "redis";
import type { LoginAttempt, LoginLimits, LoginThrottle } from "../domain/ports.js";

interface KeyState {
  count: number;
  /** Milliseconds until the key's window ends (0 when nothing is counted). */
  ttl: number;
}

/** How long an attempt must wait given the account's and the address's counts (0: admit it). */
export function refusalMs(account: KeyState, address: KeyState, limits: LoginLimits): number {
  let wait = 0;
  if (account.count >= limits.perAccount) wait = Math.max(wait, account.ttl);
  if (address.count >= limits.perIpHard) wait = Math.max(wait, address.ttl);
  // Past the soft address limit only accounts without failures of their own may still be tried from it:
  // until the account's failures or the address's window expire, whichever comes first.
  if (address.count >= limits.perIp && account.count > 0) wait = Math.max(wait, Math.min(account.ttl, address.ttl));
  return wait;
}

const accountKey = (attempt: LoginAttempt) => `account:${attempt.account}`;
const addressKey = (attempt: LoginAttempt) => (attempt.address ? `ip:${attempt.address}` : undefined);

export function createMemoryLoginThrottle(clock: () => Date = () => new Date()): LoginThrottle {
  const counters = new Map<string, { count: number; until: number }>();
  const state = (key: string | undefined, now: number): KeyState => {
    const c = key === undefined ? undefined : counters.get(key);
    if (!c || c.until <= now) return { count: 0, ttl: 0 };
    return { count: c.count, ttl: c.until - now };
  };
  const sweep = (now: number) => {
    if (counters.size < 10_000) return;
    for (const [key, c] of counters) if (c.until <= now) counters.delete(key);
  };
  return {
    // Synchronous from the check to the count (no await in between): one event loop, so atomic.
    async reserve(attempt, limits) {
      const now = clock().getTime();
      const keys = [accountKey(attempt), addressKey(attempt)];
      const wait = refusalMs(state(keys[0], now), state(keys[1], now), limits);
      if (wait > 0) return wait;
      sweep(now);
      for (const key of keys) {
        if (key === undefined) continue;
        const c = counters.get(key);
        if (c && c.until > now) c.count++;
        else counters.set(key, { count: 1, until: now + limits.windowMs });
      }
      return 0;
    },
    async succeeded(attempt) {
      counters.delete(accountKey(attempt));
      const address = addressKey(attempt);
      const c = address === undefined ? undefined : counters.get(address);
      if (c && c.count > 0) c.count--;
    },
    async close() {},
  };
}

/**
 * KEYS[1] the account's counter, KEYS[2] the address's (optional); ARGV perAccount, perIp, perIpHard, windowMs.
 * Mirrors `refusalMs`, then counts the attempt on every key, creating a counter with its window.
 */
const RESERVE = `
local perAccount, perIp, perIpHard, window = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local function state(key)
  if not key then return 0, 0 end
  local count = tonumber(redis.call('GET', key) or '0')
  if count <= 0 then return 0, 0 end
  local ttl = redis.call('PTTL', key)
  if ttl < 0 then
    redis.call('PEXPIRE', key, window)
    ttl = window
  end
  return count, ttl
end
local account, accountTtl = state(KEYS[1])
local address, addressTtl = state(KEYS[2])
local wait = 0
if account >= perAccount then wait = math.max(wait, accountTtl) end
if address >= perIpHard then wait = math.max(wait, addressTtl) end
if address >= perIp and account > 0 then wait = math.max(wait, math.min(accountTtl, addressTtl)) end
if wait > 0 then return wait end
for _, key in ipairs(KEYS) do
  if redis.call('INCR', key) == 1 then redis.call('PEXPIRE', key, window) end
end
return 0
`;

/** KEYS[1] the account's counter (deleted), KEYS[2] the address's (optional, one reservation released). */
const SUCCEEDED = `
redis.call('DEL', KEYS[1])
if KEYS[2] and tonumber(redis.call('GET', KEYS[2]) or '0') > 0 then redis.call('DECR', KEYS[2]) end
return 0
`;

export async function createRedisLoginThrottle(url: string, namespace = ""): Promise<LoginThrottle> {
  const client = createClient({ url });
  await client.connect();
  const names = (attempt: LoginAttempt) =>
    [accountKey(attempt), addressKey(attempt)].filter((k): k is string => k !== undefined).map((key) => `${namespace}clinigraph:login-fail:${key}`);
  return {
    async reserve(attempt, limits) {
      const args = [limits.perAccount, limits.perIp, limits.perIpHard, limits.windowMs].map(String);
      return Number(await client.eval(RESERVE, { keys: names(attempt), arguments: args }));
    },
    async succeeded(attempt) {
      await client.eval(SUCCEEDED, { keys: names(attempt) });
    },
    async close() {
      await client.quit().catch(() => undefined);
    },
  };
}
