/**
 * Effective-dated weekly rules and extra hours in slot generation: per local day the rules in force are picked, across
 * DST weeks (Europe/Berlin in late March and late October 2027, America/New_York in mid-March 2027). Runs in "unit"
 * and "unit-tz" (process TZ = UTC+14): nothing may depend on the process's time zone.
 */
import { describe, expect, it } from "@jest/globals";
import { DateTime } from "luxon";
import { generateSlots, rulesInForce, type DayOfWeek, type GeneratedSlot, type WeeklyRule } from "../src/slotGeneration.js";

const DAYS = ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"] as const;
const everyDay = (startTime: string, endTime: string, slotMinutes = 30): WeeklyRule[] =>
  DAYS.map((dayOfWeek) => ({ dayOfWeek, startTime, endTime, slotMinutes }));
const on = (dayOfWeek: DayOfWeek, startTime: string, endTime: string, slotMinutes = 30): WeeklyRule => ({ dayOfWeek, startTime, endTime, slotMinutes });

function days(zone: string, first: string, count: number) {
  const from = DateTime.fromISO(`${first}T00:00`, { zone });
  return { from: from.toJSDate(), to: from.plus({ days: count }).toJSDate() };
}
/** "yyyy-MM-dd HH:mm" local → list of UTC ISO starts. */
const local = (slots: GeneratedSlot[], zone: string) => slots.map((s) => DateTime.fromJSDate(s.startsAt, { zone }).toFormat("yyyy-MM-dd HH:mm"));
const firstOfDay = (slots: GeneratedSlot[], zone: string) => {
  const seen = new Map<string, string>();
  for (const s of slots) {
    const l = DateTime.fromJSDate(s.startsAt, { zone });
    const day = l.toISODate()!;
    if (!seen.has(day)) seen.set(day, `${l.toFormat("HH:mm")} ${s.startsAt.toISOString().slice(11, 16)}Z`);
  }
  return Object.fromEntries(seen);
};

describe("rulesInForce", () => {
  const versions = [
    { from: "2027-04-01", rules: "april" },
    { from: "2027-03-25", rules: "late march" },
  ];
  it("keeps the base rules before the first version", () => expect(rulesInForce("base", versions, "2027-03-24")).toBe("base"));
  it("switches on the version's own day", () => expect(rulesInForce("base", versions, "2027-03-25")).toBe("late march"));
  it("takes the latest version started, whatever the order given", () => expect(rulesInForce("base", versions, "2027-05-01")).toBe("april"));
  it("without versions: the base rules", () => expect(rulesInForce("base", [], "2027-05-01")).toBe("base"));
});

describe("upcoming versions across DST weeks", () => {
  it("Europe/Berlin, last week of March: mornings until Wednesday, afternoons from Thursday, at the right wall-clock times", () => {
    const zone = "Europe/Berlin";
    const slots = generateSlots({
      timezone: zone,
      rules: everyDay("09:00", "10:00"),
      upcoming: [{ from: "2027-03-25", rules: everyDay("14:00", "15:00") }],
      timeOff: [],
      ...days(zone, "2027-03-22", 8),
    });
    expect(firstOfDay(slots, zone)).toEqual({
      "2027-03-22": "09:00 08:00Z",
      "2027-03-23": "09:00 08:00Z",
      "2027-03-24": "09:00 08:00Z",
      "2027-03-25": "14:00 13:00Z",
      "2027-03-26": "14:00 13:00Z",
      "2027-03-27": "14:00 13:00Z",
      // 2027-03-28: clocks go from 02:00 to 03:00; from here on UTC+2.
      "2027-03-28": "14:00 12:00Z",
      "2027-03-29": "14:00 12:00Z",
    });
    expect(slots).toHaveLength(16);
    expect(slots.every((s) => s.endsAt.getTime() - s.startsAt.getTime() === 30 * 60_000)).toBe(true);
  });

  it("Europe/Berlin, last week of October: the version from Saturday keeps its wall-clock times over the fall-back Sunday", () => {
    const zone = "Europe/Berlin";
    const slots = generateSlots({
      timezone: zone,
      rules: everyDay("09:00", "10:00"),
      upcoming: [{ from: "2027-10-30", rules: everyDay("08:00", "09:00", 60) }],
      timeOff: [],
      ...days(zone, "2027-10-29", 4),
    });
    expect(firstOfDay(slots, zone)).toEqual({
      "2027-10-29": "09:00 07:00Z",
      "2027-10-30": "08:00 06:00Z",
      "2027-10-31": "08:00 07:00Z",
      "2027-11-01": "08:00 07:00Z",
    });
  });

  it("America/New_York, the week of 2027-03-14: 'Tuesdays: 10 slots of 30 minutes' from Tuesday 9th", () => {
    const zone = "America/New_York";
    const slots = generateSlots({
      timezone: zone,
      rules: [on("MONDAY", "09:00", "12:00")],
      upcoming: [{ from: "2027-03-09", rules: [on("TUESDAY", "09:00", "14:00")] }],
      timeOff: [],
      ...days(zone, "2027-03-08", 9),
    });
    const byDay = local(slots, zone).reduce<Record<string, number>>((acc, l) => ({ ...acc, [l.slice(0, 10)]: (acc[l.slice(0, 10)] ?? 0) + 1 }), {});
    // Monday 8th under the old rules (6 slots); Monday 15th under the version (none); ten on each Tuesday.
    expect(byDay).toEqual({ "2027-03-08": 6, "2027-03-09": 10, "2027-03-16": 10 });
    expect(firstOfDay(slots, zone)).toEqual({ "2027-03-08": "09:00 14:00Z", "2027-03-09": "09:00 14:00Z", "2027-03-16": "09:00 13:00Z" });
    expect(
      local(slots, zone)
        .filter((l) => l.startsWith("2027-03-16"))
        .at(-1),
    ).toBe("2027-03-16 13:30");
  });

  it("refuses a version day that is not YYYY-MM-DD", () => {
    expect(() =>
      generateSlots({ timezone: "UTC", rules: [], upcoming: [{ from: "27-3-1", rules: [] }], timeOff: [], ...days("UTC", "2027-03-01", 1) }),
    ).toThrow(/YYYY-MM-DD/);
  });
});

describe("extra hours", () => {
  const zone = "Europe/Berlin";
  it("adds slots outside the rules, leaves out those overlapping the rules' slots, and time off blocks them", () => {
    const slots = generateSlots({
      timezone: zone,
      rules: [on("MONDAY", "09:00", "10:00")],
      // 09:30–11:00 local: 09:30 overlaps the rules (left out), 10:00 and 10:30 are extra; 10:30 falls in the time off.
      extraHours: [{ from: new Date("2027-03-22T08:30:00Z"), to: new Date("2027-03-22T10:00:00Z"), slotMinutes: 30 }],
      timeOff: [{ from: new Date("2027-03-22T09:30:00Z"), to: new Date("2027-03-22T10:00:00Z") }],
      ...days(zone, "2027-03-22", 1),
    });
    expect(local(slots, zone)).toEqual(["2027-03-22 09:00", "2027-03-22 09:30", "2027-03-22 10:00", "2027-03-22 10:30"]);
    expect(slots.map((s) => s.blocked)).toEqual([false, false, false, true]);
  });

  it("keeps only the slots that start inside the range asked for, and cuts only whole slots", () => {
    const slots = generateSlots({
      timezone: zone,
      rules: [],
      extraHours: [{ from: new Date("2027-03-22T17:00:00Z"), to: new Date("2027-03-22T18:50:00Z"), slotMinutes: 45 }],
      timeOff: [],
      from: new Date("2027-03-22T17:30:00Z"),
      to: new Date("2027-03-23T00:00:00Z"),
    });
    expect(slots.map((s) => s.startsAt.toISOString())).toEqual(["2027-03-22T17:45:00.000Z"]);
  });
});
