/** Periods and ranges of KPI queries, and how a period's counts become what stakeholders see. */
import { dayIn } from "@clinigraph/platform";
import { describe, expect, it } from "@jest/globals";
import { emptyCounts, toPoint } from "../src/domain/kpis.js";
import { checkRange, periodsBetween, periodStart } from "../src/domain/periods.js";

describe("periods", () => {
  it("start on the day, the ISO week's Monday, the month's first day", () => {
    expect(periodStart("2027-03-10", "DAY")).toBe("2027-03-10");
    expect(periodStart("2027-03-10", "WEEK")).toBe("2027-03-08"); // a Wednesday
    expect(periodStart("2027-03-14", "WEEK")).toBe("2027-03-08"); // Sunday ends the ISO week
    expect(periodStart("2027-03-15", "WEEK")).toBe("2027-03-15");
    expect(periodStart("2027-01-01", "WEEK")).toBe("2026-12-28"); // across the new year
    expect(periodStart("2027-03-31", "MONTH")).toBe("2027-03-01");
  });

  it("cover the range, the first and last period whole", () => {
    expect(periodsBetween("2027-03-30", "2027-04-02", "DAY")).toEqual(["2027-03-30", "2027-03-31", "2027-04-01", "2027-04-02"]);
    expect(periodsBetween("2027-03-10", "2027-03-22", "WEEK")).toEqual(["2027-03-08", "2027-03-15", "2027-03-22"]);
    expect(periodsBetween("2027-01-31", "2027-04-01", "MONTH")).toEqual(["2027-01-01", "2027-02-01", "2027-03-01", "2027-04-01"]);
  });

  it("refuse a range backwards, too long for its granularity, or not made of days", () => {
    expect(() => checkRange("2027-03-02", "2027-03-01", "DAY")).toThrow(/from must not be after to/);
    expect(() => checkRange("2024-01-01", "2027-03-01", "DAY")).toThrow(/3 years/);
    expect(() => checkRange("2024-03-02", "2027-03-01", "DAY")).not.toThrow();
    expect(() => checkRange("2016-01-01", "2027-03-01", "MONTH")).toThrow(/10 years/);
    expect(() => checkRange("2027-02-30", "2027-03-01", "DAY")).toThrow(/from must be a day/);
    expect(() => checkRange("2027-03-01", "tomorrow", "DAY")).toThrow(/to must be a day/);
  });

  it("count a visit on its day in the clinic's time zone, across DST", () => {
    expect(dayIn(new Date("2027-03-27T23:30:00Z"), "Europe/Berlin")).toBe("2027-03-28"); // 00:30 CET
    expect(dayIn(new Date("2027-03-28T22:30:00Z"), "Europe/Berlin")).toBe("2027-03-29"); // 00:30 CEST, after the switch
    expect(dayIn(new Date("2027-03-28T21:30:00Z"), "Europe/Berlin")).toBe("2027-03-28");
  });
});

describe("toPoint", () => {
  const counts = {
    ...emptyCounts("2027-03-08"),
    patients: 4,
    requested: 6,
    booked: 5,
    cancelled: 1,
    noShows: 1,
    fulfilled: 3,
    feedbackCount: 2,
    feedbackSum: 9,
  };

  it("works out the rates and the average", () => {
    expect(toPoint(counts, 1)).toMatchObject({ suppressed: false, noShowRate: 0.25, cancellationRate: 0.2, feedbackAverage: 4.5 });
  });

  it("shows nothing of a period drawn from fewer patients than the minimum, and everything of an empty one", () => {
    const hidden = toPoint(counts, 5);
    expect(hidden.suppressed).toBe(true);
    expect(Object.entries(hidden).filter(([key, value]) => key !== "period" && key !== "suppressed" && value !== null)).toEqual([]);
    expect(toPoint(emptyCounts("2027-03-09"), 5)).toMatchObject({ suppressed: false, patients: 0, appointmentsBooked: 0, noShowRate: null });
  });
});
