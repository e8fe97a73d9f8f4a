import { describe, expect, it } from "@jest/globals";
import { MAX_TIME_OFF_DAYS, validateTimeOff } from "../src/domain/timeOff.js";
import { failure } from "./support/failure.js";

const now = new Date("2025-03-01T12:00:00Z");
const at = (iso: string) => new Date(iso);

describe("time off", () => {
  it("accepts a future range and trims the reason", () => {
    expect(validateTimeOff({ from: at("2025-03-10T00:00:00Z"), to: at("2025-03-12T00:00:00Z"), reason: "  Conference " }, now)).toEqual({
      startsAt: at("2025-03-10T00:00:00Z"),
      endsAt: at("2025-03-12T00:00:00Z"),
      reason: "Conference",
    });
  });

  it("accepts a range that started already but has not ended", () => {
    expect(validateTimeOff({ from: at("2025-02-28T00:00:00Z"), to: at("2025-03-02T00:00:00Z"), reason: "" }, now).reason).toBeNull();
  });

  it("refuses an end at or before the start", () => {
    expect(failure(() => validateTimeOff({ from: at("2025-03-10T00:00:00Z"), to: at("2025-03-10T00:00:00Z") }, now))).toMatchObject({
      code: "BAD_USER_INPUT",
      field: "to",
    });
    expect(failure(() => validateTimeOff({ from: at("2025-03-10T00:00:00Z"), to: at("2025-03-09T00:00:00Z") }, now))).toMatchObject({
      code: "BAD_USER_INPUT",
      field: "to",
    });
  });

  it("refuses a range already over", () => {
    expect(failure(() => validateTimeOff({ from: at("2025-02-01T00:00:00Z"), to: at("2025-02-02T00:00:00Z") }, now))).toMatchObject({
      code: "BAD_USER_INPUT",
      field: "to",
    });
  });

  it(`refuses more than ${MAX_TIME_OFF_DAYS} days and an over-long reason`, () => {
    expect(failure(() => validateTimeOff({ from: at("2025-03-10T00:00:00Z"), to: at("2026-03-12T00:00:00Z") }, now))).toMatchObject({ code: "BAD_USER_INPUT" });
    expect(failure(() => validateTimeOff({ from: at("2025-03-10T00:00:00Z"), to: at("2025-03-11T00:00:00Z"), reason: "x".repeat(501) }, now))).toMatchObject({
      field: "reason",
    });
  });

  it("refuses invalid dates", () => {
    expect(failure(() => validateTimeOff({ from: new Date(NaN), to: at("2025-03-11T00:00:00Z") }, now))).toMatchObject({ field: "from" });
  });
});
