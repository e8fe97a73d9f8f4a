/** Sign-in throttling on the real server (in-memory counters) and the Redis counters on the real Redis. */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { randomUUID } from "node:crypto";
import { callSubgraph, uniqueEmail } from "@clinigraph/testing";
import { createClient } from "redis";
import { createRedisLoginThrottle } from "../src/data/loginThrottle.js";
import { startTestAccounts } from "./support/testServer.js";

let accounts: Awaited<ReturnType<typeof startTestAccounts>>;
let running: { url: string };
const LOGIN = `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }`;
const REGISTER = `mutation($i: RegisterPatientInput!) { registerPatient(input: $i) { accessToken } }`;
const PASSWORD = "Correct-horse-42";

beforeAll(async () => {
  accounts = await startTestAccounts({ loginLimits: { perAccount: 5, perIp: 20, windowMs: 15 * 60_000 } });
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

describe("Redis login throttle", () => {
  it("counts failures across clients and expires them with the window", async () => {
    const namespace = `test:${randomUUID()}:`;
    const a = await createRedisLoginThrottle(process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379", namespace);
    const b = await createRedisLoginThrottle(process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379", namespace);
    const key = { key: "account:z", limit: 2, windowMs: 400 };
    await a.recordFailure([key]);
    await b.recordFailure([key]);
    const blocked = await a.blockedForMs([key]);
    expect(blocked).toBeGreaterThan(0);
    expect(blocked).toBeLessThanOrEqual(400);
    await new Promise((r) => setTimeout(r, blocked + 50));
    expect(await b.blockedForMs([key])).toBe(0);
    await a.reset([key]);
    await a.close();
    await b.close();
  });

  it("creates every counter with its window in the same transaction as the count (no counter without expiry)", async () => {
    const url = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
    const namespace = `test:${randomUUID()}:`;
    const throttle = await createRedisLoginThrottle(url, namespace);
    const keys = [
      { key: "account:y", limit: 3, windowMs: 60_000 },
      { key: "ip:10.0.0.9", limit: 3, windowMs: 120_000 },
    ];
    await Promise.all([throttle.recordFailure(keys), throttle.recordFailure(keys), throttle.recordFailure(keys)]);
    const raw = createClient({ url });
    await raw.connect();
    try {
      for (const { key, windowMs } of keys) {
        expect(await raw.get(`${namespace}clinigraph:login-fail:${key}`)).toBe("3");
        const ttl = await raw.pTTL(`${namespace}clinigraph:login-fail:${key}`);
        expect(ttl).toBeGreaterThan(0);
        expect(ttl).toBeLessThanOrEqual(windowMs);
      }
      expect(await throttle.blockedForMs(keys)).toBeGreaterThan(60_000); // the longer window decides
    } finally {
      await throttle.reset(keys);
      await raw.quit();
      await throttle.close();
    }
  });
});
