import { describe, expect, it } from "@jest/globals";
import {
  activeUsers,
  answerError,
  linearFit,
  networkError,
  phaseAt,
  pickWeighted,
  recoveryTime,
  slopeMbPerHour,
  spikeSchedule,
  thinkTime,
  windowStats,
  type TimedSample,
} from "./loadMath.js";

describe("spikeSchedule", () => {
  const plan = { users: 4, rampUpMs: 10_000, holdMs: 30_000, rampDownMs: 8_000 };

  it("starts users evenly over the ramp-up and stops the last started first over the ramp-down", () => {
    const s = spikeSchedule(plan);
    expect([0, 1, 2, 3].map((i) => s.startAt(i))).toEqual([0, 2_500, 5_000, 7_500]);
    expect([0, 1, 2, 3].map((i) => s.stopAt(i))).toEqual([46_000, 44_000, 42_000, 40_000]);
    expect(s.endMs).toBe(48_000);
  });

  it("has every user running through the hold and none after the ramp-down", () => {
    const s = spikeSchedule(plan);
    expect(activeUsers(s, 4, -1)).toBe(0);
    expect(activeUsers(s, 4, 0)).toBe(1);
    expect(activeUsers(s, 4, 5_000)).toBe(3);
    expect(activeUsers(s, 4, 10_000)).toBe(4);
    expect(activeUsers(s, 4, 39_999)).toBe(4);
    expect(activeUsers(s, 4, 43_000)).toBe(2);
    expect(activeUsers(s, 4, 48_000)).toBe(0);
  });

  it("names the phase of a moment, `from` included and `to` excluded", () => {
    const { phases } = spikeSchedule(plan);
    expect(phaseAt(phases, 0)).toBe("ramp-up");
    expect(phaseAt(phases, 9_999)).toBe("ramp-up");
    expect(phaseAt(phases, 10_000)).toBe("hold");
    expect(phaseAt(phases, 40_000)).toBe("ramp-down");
    expect(phaseAt(phases, 48_000)).toBeNull();
    expect(phaseAt(phases, -5)).toBeNull();
  });

  it("refuses a plan without users", () => {
    expect(() => spikeSchedule({ ...plan, users: 0 })).toThrow(/users/);
  });
});

describe("windowStats", () => {
  it("cuts the samples into windows by the time they were sent, the last window shorter", () => {
    const samples: TimedSample[] = [
      { at: 0, ms: 10 },
      { at: 999, ms: 30 },
      { at: 1_000, ms: 50 },
      { at: 2_400, ms: 70 },
    ];
    const windows = windowStats(samples, 0, 2_500, 1_000);
    expect(windows.map((w) => [w.from, w.to, w.count, w.max])).toEqual([
      [0, 1_000, 2, 30],
      [1_000, 2_000, 1, 50],
      [2_000, 2_500, 1, 70],
    ]);
  });
});

describe("recoveryTime", () => {
  /** One sample every 100 ms from `from` to `to`, each taking `ms`. */
  const steady = (from: number, to: number, ms: number): TimedSample[] =>
    Array.from({ length: Math.round((to - from) / 100) }, (_, i) => ({ at: from + i * 100, ms }));
  const options = { boundMs: 30, windowMs: 2_000, stepMs: 500, stableWindows: 2, minSamples: 5 };

  it("is the first offset from which the stable windows all hold", () => {
    // Slow (100 ms) for 3.2 s after the end of the spike, then back at 20 ms.
    const samples = [...steady(0, 3_200, 100), ...steady(3_200, 12_000, 20)];
    expect(recoveryTime(samples, 0, 12_000, options)).toBe(3_500);
  });

  it("is 0 when latency never left the bound", () => {
    expect(recoveryTime(steady(0, 10_000, 20), 0, 10_000, options)).toBe(0);
  });

  it("does not count one quiet window in a slow stretch as a recovery", () => {
    const samples = [...steady(0, 2_000, 100), ...steady(2_000, 4_000, 20), ...steady(4_000, 6_000, 100), ...steady(6_000, 12_000, 20)];
    expect(recoveryTime(samples, 0, 12_000, options)).toBe(6_000);
  });

  it("is null when latency has not come back by the end of what was observed", () => {
    expect(recoveryTime(steady(0, 10_000, 100), 0, 10_000, options)).toBeNull();
  });

  it("does not hold a window with too few samples", () => {
    const sparse = [{ at: 100, ms: 1 }];
    expect(recoveryTime(sparse, 0, 10_000, options)).toBeNull();
  });
});

describe("linearFit and slopeMbPerHour", () => {
  it("finds the line through exact points", () => {
    const { slope, intercept } = linearFit([
      { x: 0, y: 1 },
      { x: 1, y: 3 },
      { x: 2, y: 5 },
    ]);
    expect(slope).toBeCloseTo(2);
    expect(intercept).toBeCloseTo(1);
  });

  it("is the least-squares slope of noisy points", () => {
    // y = 10 + 4x with noise +1, −1, +1, −1: the noise cancels in the fit's slope only approximately.
    const points = [0, 1, 2, 3].map((x, i) => ({ x, y: 10 + 4 * x + (i % 2 === 0 ? 1 : -1) }));
    expect(linearFit(points).slope).toBeCloseTo(3.6);
  });

  it("has no slope without two distinct x", () => {
    expect(linearFit([{ x: 1, y: 2 }]).slope).toBeNaN();
    expect(
      linearFit([
        { x: 1, y: 2 },
        { x: 1, y: 3 },
      ]).slope,
    ).toBeNaN();
  });

  it("turns byte samples into MB per hour, leaving out the warm-up", () => {
    const mb = 1024 * 1024;
    // 200 MB during the warm-up (left out), then 100 MB growing by 6 MB every 6 minutes: 60 MB/h.
    const samples = [{ at: 0, bytes: 200 * mb }, ...[0, 1, 2, 3].map((k) => ({ at: 60_000 + k * 360_000, bytes: (100 + 6 * k) * mb }))];
    expect(slopeMbPerHour(samples, 60_000)).toBeCloseTo(60);
  });
});

describe("answerError and networkError", () => {
  it("counts a 200 with data and no errors as a success", () => {
    expect(answerError({ status: 200, data: { a: 1 } })).toBeNull();
  });

  it("labels GraphQL errors by status and code, server faults apart", () => {
    expect(answerError({ status: 200, data: null, errors: [{ extensions: { code: "BAD_USER_INPUT" } }] })).toEqual({
      label: "HTTP 200 BAD_USER_INPUT",
      serverFault: false,
      network: false,
    });
    expect(answerError({ status: 200, data: null, errors: [{ extensions: { code: "INTERNAL" } }] })?.serverFault).toBe(true);
    expect(answerError({ status: 504, errors: [{ extensions: { code: "GATEWAY_TIMEOUT" } }] })).toEqual({
      label: "HTTP 504 GATEWAY_TIMEOUT",
      serverFault: true,
      network: false,
    });
    expect(answerError({ status: 429, errors: [{ extensions: { code: "RATE_LIMITED" } }] })?.serverFault).toBe(false);
    expect(answerError({ status: 502 })?.label).toBe("HTTP 502 NO_GRAPHQL_ERROR");
    expect(answerError({ status: 200, data: null, errors: [{ extensions: { code: "CONFLICT", reason: "BOOKING_LIMIT_REACHED" } }] })?.label).toBe(
      "HTTP 200 CONFLICT BOOKING_LIMIT_REACHED",
    );
  });

  it("labels a request without an answer by its error code", () => {
    expect(networkError("ECONNRESET")).toEqual({ label: "network ECONNRESET", serverFault: false, network: true });
  });
});

describe("pickWeighted and thinkTime", () => {
  const weights = { search: 70, doctor: 15, book: 10, cancel: 5 };

  it("picks each key over its share of [0, 1)", () => {
    expect(pickWeighted(weights, 0)).toBe("search");
    expect(pickWeighted(weights, 0.699)).toBe("search");
    expect(pickWeighted(weights, 0.7)).toBe("doctor");
    expect(pickWeighted(weights, 0.85)).toBe("book");
    expect(pickWeighted(weights, 0.9999)).toBe("cancel");
  });

  it("never picks a key of weight 0 and refuses all-zero weights", () => {
    expect(pickWeighted({ a: 0, b: 1 }, 0)).toBe("b");
    expect(() => pickWeighted({ a: 0 }, 0.5)).toThrow();
  });

  it("spreads think times from half to one and a half times the mean", () => {
    expect(thinkTime(1_000, 0)).toBe(500);
    expect(thinkTime(1_000, 0.5)).toBe(1_000);
    expect(thinkTime(1_000, 0.999)).toBeCloseTo(1_499);
  });
});
