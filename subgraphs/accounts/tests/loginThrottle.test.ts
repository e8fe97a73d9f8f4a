import { describe, expect, it } from "@jest/globals";
import { createMemoryLoginThrottle } from "../src/data/loginThrottle.js";
import { LIMITS, throttleCases } from "./loginThrottleCases.js";

describe("memory login throttle", () => {
  it("refuses an account at its limit until its window ends, without counting what it refuses", async () => {
    let now = new Date("2026-11-26T10:00:00Z");
    const throttle = createMemoryLoginThrottle(() => now);
    const limits = { ...LIMITS, perAccount: 3 };
    const attempt = { account: "x", address: "10.0.0.1" };
    for (let i = 0; i < 3; i++) expect(await throttle.reserve(attempt, limits)).toBe(0);
    expect(await throttle.reserve(attempt, limits)).toBe(15 * 60_000);
    now = new Date("2026-11-26T10:10:00Z");
    expect(await throttle.reserve(attempt, limits)).toBe(5 * 60_000);
    now = new Date("2026-11-26T10:15:00Z");
    for (let i = 0; i < 3; i++) expect(await throttle.reserve(attempt, limits)).toBe(0);
    expect(await throttle.reserve(attempt, limits)).toBe(15 * 60_000);
  });

  it("waits out the shorter of the account's and the address's windows past the address's soft limit", async () => {
    let now = new Date("2026-11-26T10:00:00Z");
    const throttle = createMemoryLoginThrottle(() => now);
    const limits = { ...LIMITS, perIp: 2 };
    for (const account of ["a", "b"]) expect(await throttle.reserve({ account, address: "10.0.0.2" }, limits)).toBe(0);
    now = new Date("2026-11-26T10:05:00Z");
    expect(await throttle.reserve({ account: "c" }, limits)).toBe(0); // c's own window starts 5 minutes later
    expect(await throttle.reserve({ account: "c", address: "10.0.0.2" }, limits)).toBe(10 * 60_000); // the address's
    expect(await throttle.reserve({ account: "a", address: "10.0.0.2" }, limits)).toBe(10 * 60_000);
    expect(await throttle.reserve({ account: "d", address: "10.0.0.2" }, limits)).toBe(0); // no failures of its own
  });

  describe("under sign-in", () => {
    throttleCases(async () => createMemoryLoginThrottle());
  });
});
