import { describe, expect, it } from "@jest/globals";
import { createMemoryLoginThrottle } from "../src/data/loginThrottle.js";

describe("memory login throttle", () => {
  it("locks a key at its limit until its window ends", async () => {
    let now = new Date("2026-11-26T10:00:00Z");
    const throttle = createMemoryLoginThrottle(() => now);
    const key = { key: "account:x", limit: 3, windowMs: 15 * 60_000 };
    for (let i = 0; i < 2; i++) await throttle.recordFailure([key]);
    expect(await throttle.blockedForMs([key])).toBe(0);
    await throttle.recordFailure([key]);
    expect(await throttle.blockedForMs([key])).toBe(15 * 60_000);
    now = new Date("2026-11-26T10:10:00Z");
    expect(await throttle.blockedForMs([key])).toBe(5 * 60_000);
    now = new Date("2026-11-26T10:15:00Z");
    expect(await throttle.blockedForMs([key])).toBe(0);
  });

  it("answers for the most restricted of several keys, and reset clears one", async () => {
    const throttle = createMemoryLoginThrottle();
    const account = { key: "account:y", limit: 5, windowMs: 60_000 };
    const ip = { key: "ip:10.0.0.1", limit: 1, windowMs: 60_000 };
    await throttle.recordFailure([account, ip]);
    expect(await throttle.blockedForMs([account])).toBe(0);
    expect(await throttle.blockedForMs([account, ip])).toBeGreaterThan(0);
    await throttle.reset([ip]);
    expect(await throttle.blockedForMs([account, ip])).toBe(0);
  });
});
