/** The lookup cache of other subgraphs' answers: one load per key and period, a failure not remembered. */
import { describe, expect, it } from "@jest/globals";
import { createTtlCache } from "../src/ttlCache.js";

describe("createTtlCache", () => {
  it("shares one load among callers until the period ends, then loads again", async () => {
    const clock = { now: 0 };
    const remembered = createTtlCache(1_000, () => clock.now);
    let loads = 0;
    const load = async () => ++loads;
    expect(await Promise.all([remembered("k", load), remembered("k", load)])).toEqual([1, 1]);
    clock.now = 999;
    expect(await remembered("k", load)).toBe(1);
    expect(await remembered("other", load)).toBe(2);
    clock.now = 1_000;
    expect(await remembered("k", load)).toBe(3);
  });

  it("forgets a failed load, so the next caller tries again", async () => {
    const remembered = createTtlCache(60_000);
    await expect(remembered("k", () => Promise.reject(new Error("down")))).rejects.toThrow("down");
    expect(await remembered("k", async () => "up")).toBe("up");
  });
});
