/** Sign-in throttling on the real server (in-memory counters) and the Redis counters on the real Redis. */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { randomUUID } from "node:crypto";
import { callSubgraph, uniqueEmail } from "@clinigraph/testing";
import { createClient } from "redis";
import { createRedisLoginThrottle } from "../src/data/loginThrottle.js";
import { startTestAccounts } from "./support/harness.js";
import { LIMITS, throttleCases } from "./loginThrottleCases.js";

let accounts: Awaited<ReturnType<typeof startTestAccounts>>;
let running: { url: string };
const LOGIN = `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }`;
const REGISTER = `mutation($i: RegisterPatientInput!) { registerPatient(input: $i) { accessToken } }`;
const PASSWORD = "Correct-horse-42";

beforeAll(async () => {
  accounts = await startTestAccounts({ loginLimits: LIMITS });
  running = accounts;
});

afterAll(async () => {
  await accounts?.close();
});

describe("sign-in throttling", () => {
  it("locks an account after 5 failures (even the right password), and only that account", async () => {
    const email = uniqueEmail("locked");
    const other = uniqueEmail("other");
    for (const e of [email, other]) await callSubgraph(running.url, REGISTER, { i: { email: e, password: PASSWORD, name: "Locked Out" } });
    for (let i = 0; i < 5; i++) {
      const res = await callSubgraph(running.url, LOGIN, { e: email, p: "Wrong-password-1" });
      expect(res.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    }
    const locked = await callSubgraph(running.url, LOGIN, { e: email, p: PASSWORD });
    expect(locked.errors?.[0]).toMatchObject({ extensions: { code: "RATE_LIMITED" } });
    expect(locked.errors?.[0]?.message).toMatch(/try again in 15 minute/);
    expect((await callSubgraph(running.url, LOGIN, { e: other, p: PASSWORD })).errors).toBeUndefined();
  });

  it("throttles unknown e-mails the same way (no account enumeration)", async () => {
    const ghost = uniqueEmail("ghost");
    for (let i = 0; i < 5; i++) await callSubgraph(running.url, LOGIN, { e: ghost, p: "Wrong-password-1" });
    expect((await callSubgraph(running.url, LOGIN, { e: ghost, p: "Wrong-password-1" })).errors?.[0]?.extensions?.code).toBe("RATE_LIMITED");
  });
});

const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

/** Every key of a namespace, then the connection: each test's counters are its own. */
async function dropNamespace(namespace: string) {
  const raw = createClient({ url: REDIS_URL });
  await raw.connect();
  try {
    for await (const keys of raw.scanIterator({ MATCH: `${namespace}*`, COUNT: 500 })) if (keys.length) await raw.del(keys);
  } finally {
    await raw.quit();
  }
}

describe("Redis login throttle", () => {
  describe("under sign-in", () => {
    const namespaces = new WeakMap<object, string>();
    throttleCases(
      async () => {
        const namespace = `test:${randomUUID()}:`;
        const throttle = await createRedisLoginThrottle(REDIS_URL, namespace);
        namespaces.set(throttle, namespace);
        return throttle;
      },
      async (throttle) => {
        await throttle.close();
        await dropNamespace(namespaces.get(throttle)!);
      },
    );
  });

  it("admits no more than the limit of parallel attempts made through several replicas", async () => {
    const namespace = `test:${randomUUID()}:`;
    const replicas = await Promise.all([1, 2, 3].map(() => createRedisLoginThrottle(REDIS_URL, namespace)));
    try {
      const waits = await Promise.all(
        Array.from({ length: 60 }, (_, i) => replicas[i % 3]!.reserve({ account: "z", address: `10.0.0.${i % 4}` }, { ...LIMITS, perAccount: 7 })),
      );
      expect(waits.filter((w) => w === 0)).toHaveLength(7);
      expect(waits.filter((w) => w > 0 && w <= LIMITS.windowMs)).toHaveLength(53);
    } finally {
      await Promise.all(replicas.map((r) => r.close()));
      await dropNamespace(namespace);
    }
  });

  it("creates every counter with its window in the same script as the count, and lets it expire with the window", async () => {
    const namespace = `test:${randomUUID()}:`;
    const throttle = await createRedisLoginThrottle(REDIS_URL, namespace);
    const raw = createClient({ url: REDIS_URL });
    await raw.connect();
    try {
      const limits = { ...LIMITS, perAccount: 3, windowMs: 60_000 };
      const attempt = { account: "y", address: "10.0.0.9" };
      await Promise.all([1, 2, 3, 4].map(() => throttle.reserve(attempt, limits)));
      for (const key of ["account:y", "ip:10.0.0.9"]) {
        expect(await raw.get(`${namespace}clinigraph:login-fail:${key}`)).toBe("3"); // the 4th was refused, not counted
        const ttl = await raw.pTTL(`${namespace}clinigraph:login-fail:${key}`);
        expect(ttl).toBeGreaterThan(0);
        expect(ttl).toBeLessThanOrEqual(60_000);
      }
      // A counter that lost its expiry (written by hand here) gets its window back instead of locking forever.
      await raw.set(`${namespace}clinigraph:login-fail:account:w`, "9");
      expect(await throttle.reserve({ account: "w" }, limits)).toBe(60_000);
      expect(await raw.pTTL(`${namespace}clinigraph:login-fail:account:w`)).toBeGreaterThan(0);
      // A short window ends by itself.
      const short = { ...limits, windowMs: 300 };
      expect(await throttle.reserve({ account: "v" }, { ...short, perAccount: 1 })).toBe(0);
      const wait = await throttle.reserve({ account: "v" }, { ...short, perAccount: 1 });
      expect(wait).toBeGreaterThan(0);
      await new Promise((r) => setTimeout(r, wait + 50)); // Redis expires the key on its own clock
      expect(await throttle.reserve({ account: "v" }, { ...short, perAccount: 1 })).toBe(0);
    } finally {
      await raw.quit();
      await throttle.close();
      await dropNamespace(namespace);
    }
  });
});
