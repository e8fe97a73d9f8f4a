/** Schedule template rules: windows, slotCount, breaks cut out, whole slots, overlaps; extra hours; "from" not in the past. */
import { describe, expect, it } from "@jest/globals";
import { DomainError } from "@clinigraph/platform";
import { validateExtraHours } from "../src/domain/addExtraHours.js";
import { formatTime } from "../src/domain/scheduleRules.js";
import { effectiveRules, parseTemplate, type ScheduleTemplateInput } from "../src/domain/scheduleTemplates.js";
import { checkFromDay } from "../src/domain/scheduleVersions.js";
import type { ScheduleRule } from "../src/domain/types.js";

const show = (rules: ScheduleRule[]) => rules.map((r) => `${r.dayOfWeek} ${formatTime(r.startMinute)}-${formatTime(r.endMinute)}/${r.slotMinutes}`);

function badField(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    if (err instanceof DomainError && err.code === "BAD_USER_INPUT") return err.field;
    throw err;
  }
  throw new Error("expected BAD_USER_INPUT");
}

describe("parseTemplate", () => {
  it('expresses "Tuesdays: 10 slots of 30 minutes" with slotCount', () => {
    const t = parseTemplate({ name: " Tuesdays ", rules: [{ dayOfWeek: "TUESDAY", startTime: "09:00", slotCount: 10, slotMinutes: 30 }] });
    expect(t.name).toBe("Tuesdays");
    expect(show(t.rules)).toEqual(["TUESDAY 09:00-14:00/30"]);
    expect(show(effectiveRules(t.rules, t.breaks))).toEqual(["TUESDAY 09:00-14:00/30"]);
  });

  it("with slotCount, a break inside the window pushes its end so that the count remains", () => {
    const t = parseTemplate({
      name: "Tuesdays with lunch",
      slotMinutes: 30,
      rules: [{ dayOfWeek: "TUESDAY", startTime: "10:00", slotCount: 10 }],
      breaks: [{ startTime: "12:00", endTime: "13:00" }],
    });
    expect(show(t.rules)).toEqual(["TUESDAY 10:00-16:00/30"]);
    const effective = effectiveRules(t.rules, t.breaks);
    expect(show(effective)).toEqual(["TUESDAY 10:00-12:00/30", "TUESDAY 13:00-16:00/30"]);
    expect(effective.reduce((n, r) => n + (r.endMinute - r.startMinute) / r.slotMinutes, 0)).toBe(10);
  });

  it("refuses pieces that are not whole slots, naming the rule as given (the every-day break leaves 20 minutes of Monday's 30-minute window)", () => {
    const input: ScheduleTemplateInput = {
      name: "Week",
      slotMinutes: 20,
      rules: [
        { dayOfWeek: "WEDNESDAY", startTime: "08:00", endTime: "12:00" },
        { dayOfWeek: "MONDAY", startTime: "08:00", endTime: "12:00", slotMinutes: 30 },
      ],
      breaks: [
        { dayOfWeek: "MONDAY", startTime: "10:00", endTime: "10:30" },
        { startTime: "11:00", endTime: "11:20" },
      ],
    };
    expect(badField(() => parseTemplate(input))).toBe("input.rules[1]");
    expect(() => parseTemplate(input)).toThrow(/MONDAY 11:20–12:00 does not divide into whole 30-minute slots/);
  });

  it("cuts a day's break out of that day only and an every-day break out of every day; rules take the template's slot length", () => {
    const t = parseTemplate({
      name: "Week",
      slotMinutes: 20,
      rules: [
        { dayOfWeek: "WEDNESDAY", startTime: "08:00", endTime: "12:00" },
        { dayOfWeek: "MONDAY", startTime: "08:00", endTime: "12:00", slotMinutes: 30 },
      ],
      breaks: [
        { dayOfWeek: "MONDAY", startTime: "10:00", endTime: "10:30" },
        { startTime: "11:00", endTime: "12:00" },
      ],
    });
    expect(show(t.rules)).toEqual(["MONDAY 08:00-12:00/30", "WEDNESDAY 08:00-12:00/20"]);
    expect(show(effectiveRules(t.rules, t.breaks))).toEqual(["MONDAY 08:00-10:00/30", "MONDAY 10:30-11:00/30", "WEDNESDAY 08:00-11:00/20"]);
  });

  it("accepts the same week when every piece holds whole slots", () => {
    const t = parseTemplate({
      name: "Week",
      slotMinutes: 20,
      rules: [{ dayOfWeek: "WEDNESDAY", startTime: "08:00", endTime: "12:00" }],
      breaks: [{ startTime: "11:00", endTime: "11:20" }],
    });
    expect(show(effectiveRules(t.rules, t.breaks))).toEqual(["WEDNESDAY 08:00-11:00/20", "WEDNESDAY 11:20-12:00/20"]);
  });

  const base: ScheduleTemplateInput = { name: "T", rules: [{ dayOfWeek: "MONDAY", startTime: "09:00", endTime: "12:00", slotMinutes: 30 }] };
  it.each<[string, ScheduleTemplateInput, string]>([
    ["an empty name", { ...base, name: "  " }, "input.name"],
    [
      "overlapping windows",
      { ...base, rules: [...base.rules, { dayOfWeek: "MONDAY", startTime: "11:30", endTime: "13:00", slotMinutes: 30 }] },
      "input.rules[1]",
    ],
    [
      "a window that is not whole slots",
      { ...base, rules: [{ dayOfWeek: "MONDAY", startTime: "09:00", endTime: "09:45", slotMinutes: 30 }] },
      "input.rules[0]",
    ],
    ["a break leaving part of a slot", { ...base, breaks: [{ startTime: "10:00", endTime: "10:10" }] }, "input.rules[0]"],
    ["a break covering the whole window", { ...base, breaks: [{ dayOfWeek: "MONDAY", startTime: "08:00", endTime: "13:00" }] }, "input.rules[0]"],
    ["no slot length anywhere", { ...base, rules: [{ dayOfWeek: "MONDAY", startTime: "09:00", endTime: "12:00" }] }, "input.rules[0].slotMinutes"],
    [
      "both endTime and slotCount",
      { ...base, rules: [{ dayOfWeek: "MONDAY", startTime: "09:00", endTime: "12:00", slotCount: 6, slotMinutes: 30 }] },
      "input.rules[0].endTime",
    ],
    ["slots past midnight", { ...base, rules: [{ dayOfWeek: "MONDAY", startTime: "20:00", slotCount: 9, slotMinutes: 30 }] }, "input.rules[0].slotCount"],
    ["a zero slotCount", { ...base, rules: [{ dayOfWeek: "MONDAY", startTime: "20:00", slotCount: 0, slotMinutes: 30 }] }, "input.rules[0].slotCount"],
    ["a break ending before it starts", { ...base, breaks: [{ startTime: "10:00", endTime: "09:00" }] }, "input.breaks[0].endTime"],
    ["a bad template slot length", { ...base, slotMinutes: 3 }, "input.slotMinutes"],
    ["a bad time", { ...base, rules: [{ dayOfWeek: "MONDAY", startTime: "9am", endTime: "12:00", slotMinutes: 30 }] }, "input.rules[0].startTime"],
  ])("refuses %s (BAD_USER_INPUT on the field)", (_name, input, field) => {
    expect(badField(() => parseTemplate(input))).toBe(field);
  });
});

describe("validateExtraHours", () => {
  const now = new Date("2027-03-22T07:00:00Z");
  const ok = { from: new Date("2027-03-23T16:00:00Z"), to: new Date("2027-03-23T18:00:00Z"), slotMinutes: 30 };
  it("accepts a future range of whole slots", () => expect(validateExtraHours(ok, now)).toEqual({ startsAt: ok.from, endsAt: ok.to, slotMinutes: 30 }));
  it.each<[string, Partial<typeof ok>, string]>([
    ["a range that is not whole slots", { slotMinutes: 45 }, "slotMinutes"],
    ["an end before the start", { to: new Date("2027-03-23T15:00:00Z") }, "to"],
    ["a past range", { from: new Date("2027-03-21T16:00:00Z"), to: new Date("2027-03-21T18:00:00Z") }, "to"],
    ["more than a day", { to: new Date("2027-03-25T16:00:00Z") }, "to"],
    ["a start off the minute", { from: new Date("2027-03-23T16:00:30Z") }, "from"],
  ])("refuses %s", (_name, patch, field) => expect(badField(() => validateExtraHours({ ...ok, ...patch }, now))).toBe(field));
});

describe("checkFromDay (the doctor's own day)", () => {
  // 2027-03-22T23:30Z: already Tuesday 23rd in Berlin, still Monday 22nd in New York.
  const now = new Date("2027-03-22T23:30:00Z");
  it("refuses yesterday in Berlin", () => expect(badField(() => checkFromDay("2027-03-22", { id: "b", timezone: "Europe/Berlin" }, now))).toBe("from"));
  it("accepts today in New York", () => expect(() => checkFromDay("2027-03-22", { id: "n", timezone: "America/New_York" }, now)).not.toThrow());
  it("refuses more than a year ahead", () => expect(badField(() => checkFromDay("3000-01-01", { id: "n", timezone: "UTC" }, now))).toBe("from"));
});
