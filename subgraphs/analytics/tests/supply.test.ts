/** Offered time per clinic day, from a doctor's weekly schedule and time off (utilization's denominator). */
import { describe, expect, it } from "@jest/globals";
import { offeredMinutes } from "../src/domain/supply.js";

const weekdays = (startTime: string, endTime: string, slotMinutes: number) =>
  (["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY"] as const).map((dayOfWeek) => ({ dayOfWeek, startTime, endTime, slotMinutes }));

describe("offeredMinutes", () => {
  it("sums the slots of each day, every day of the range present", () => {
    const schedule = { timezone: "Europe/Berlin", rules: weekdays("09:00", "12:00", 30), timeOff: [], specialtyCode: "GP", location: null };
    const minutes = offeredMinutes(schedule, "2027-03-05", "2027-03-08", "Europe/Berlin"); // Friday to Monday
    expect([...minutes]).toEqual([
      ["2027-03-05", 180],
      ["2027-03-06", 0],
      ["2027-03-07", 0],
      ["2027-03-08", 180],
    ]);
  });

  it("leaves out the slots time off touches, and a window that does not fit a whole slot", () => {
    const schedule = {
      timezone: "Europe/Berlin",
      rules: weekdays("09:00", "11:50", 20), // 8 whole slots: 09:00 … 11:20
      timeOff: [{ from: new Date("2027-03-08T08:30:00Z"), to: new Date("2027-03-08T09:10:00Z") }], // 09:30–10:10 local: 3 slots
      specialtyCode: "GP",
      location: null,
    };
    expect(offeredMinutes(schedule, "2027-03-08", "2027-03-09", "Europe/Berlin")).toEqual(
      new Map([
        ["2027-03-08", 5 * 20],
        ["2027-03-09", 8 * 20],
      ]),
    );
  });

  it("counts each slot on the clinic's day, across DST and across time zones", () => {
    // Sunday 28 March 2027: Berlin springs forward at 02:00. A night rule 01:00–04:00 with hourly slots keeps the
    // 01:00 and 03:00 slots (02:00 does not exist): 2 hours.
    const night = {
      timezone: "Europe/Berlin",
      rules: [{ dayOfWeek: "SUNDAY" as const, startTime: "01:00", endTime: "04:00", slotMinutes: 60 }],
      timeOff: [],
      specialtyCode: "GP",
      location: null,
    };
    expect(offeredMinutes(night, "2027-03-28", "2027-03-28", "Europe/Berlin").get("2027-03-28")).toBe(120);
    // A doctor in Seoul (UTC+9) working 08:00–10:00 on Mondays: 23:00–01:00 UTC, so 00:00–02:00 in Berlin (winter)
    // of the same Monday — offered on the clinic's Monday.
    const seoul = {
      timezone: "Asia/Seoul",
      rules: [{ dayOfWeek: "MONDAY" as const, startTime: "08:00", endTime: "10:00", slotMinutes: 60 }],
      timeOff: [],
      specialtyCode: "GP",
      location: null,
    };
    expect([...offeredMinutes(seoul, "2027-03-07", "2027-03-08", "Europe/Berlin")]).toEqual([
      ["2027-03-07", 0],
      ["2027-03-08", 120],
    ]);
  });

  it("follows a template's rules from their first day, adds extra hours, and offers nothing for a deactivated doctor", () => {
    const schedule = {
      timezone: "Europe/Berlin",
      rules: weekdays("09:00", "12:00", 30),
      timeOff: [],
      specialtyCode: "GP",
      location: null,
      // From Tuesday 9 March on: Tuesdays only, 10 slots of 30 minutes.
      upcoming: [{ from: "2027-03-09", rules: [{ dayOfWeek: "TUESDAY" as const, startTime: "09:00", endTime: "14:00", slotMinutes: 30 }] }],
      // Saturday 13 March 10:00–12:00 local, four 30-minute slots.
      extraHours: [{ from: new Date("2027-03-13T09:00:00Z"), to: new Date("2027-03-13T11:00:00Z"), slotMinutes: 30 }],
    };
    expect([...offeredMinutes(schedule, "2027-03-08", "2027-03-13", "Europe/Berlin")]).toEqual([
      ["2027-03-08", 180],
      ["2027-03-09", 300],
      ["2027-03-10", 0],
      ["2027-03-11", 0],
      ["2027-03-12", 0],
      ["2027-03-13", 120],
    ]);
    expect([...offeredMinutes({ ...schedule, active: false }, "2027-03-08", "2027-03-09", "Europe/Berlin").values()]).toEqual([0, 0]);
  });
});
