import { describe, expect, it } from "@jest/globals";
import { formatTime, MAX_RULES, parseTime, parseWeeklySchedule, type ScheduleRuleInput } from "../src/domain/scheduleRules.js";
import { failure } from "./support/failure.js";

const rule = (dayOfWeek: ScheduleRuleInput["dayOfWeek"], startTime: string, endTime: string, slotMinutes = 30): ScheduleRuleInput => ({
  dayOfWeek,
  startTime,
  endTime,
  slotMinutes,
});

describe("HH:MM times", () => {
  it("parses and formats", () => {
    expect(parseTime("00:00", "t")).toBe(0);
    expect(parseTime("09:30", "t")).toBe(570);
    expect(parseTime("23:59", "t")).toBe(1439);
    expect(parseTime("24:00", "t", true)).toBe(1440);
    expect(formatTime(570)).toBe("09:30");
    expect(formatTime(0)).toBe("00:00");
    expect(formatTime(1440)).toBe("24:00");
  });

  it.each(["9:30", "24:00", "12:60", "25:00", "0930", "09:30:00", " 09:30", "", "ab:cd"])("refuses %p as a start time", (value) => {
    expect(failure(() => parseTime(value, "rules[0].startTime"))).toMatchObject({ code: "BAD_USER_INPUT", field: "rules[0].startTime" });
  });
});

describe("weekly schedule", () => {
  it("sorts rules Monday first, then by start time", () => {
    const rules = parseWeeklySchedule([rule("WEDNESDAY", "14:00", "16:00"), rule("MONDAY", "13:00", "17:00", 20), rule("MONDAY", "08:00", "12:00")]);
    expect(rules).toEqual([
      { dayOfWeek: "MONDAY", startMinute: 480, endMinute: 720, slotMinutes: 30 },
      { dayOfWeek: "MONDAY", startMinute: 780, endMinute: 1020, slotMinutes: 20 },
      { dayOfWeek: "WEDNESDAY", startMinute: 840, endMinute: 960, slotMinutes: 30 },
    ]);
  });

  it("accepts an empty week and windows that touch", () => {
    expect(parseWeeklySchedule([])).toEqual([]);
    expect(parseWeeklySchedule([rule("FRIDAY", "08:00", "12:00"), rule("FRIDAY", "12:00", "24:00")])).toHaveLength(2);
  });

  it("refuses overlapping rules on the same day, naming the later one", () => {
    const err = failure(() => parseWeeklySchedule([rule("TUESDAY", "08:00", "12:00"), rule("MONDAY", "08:00", "12:00"), rule("TUESDAY", "11:30", "13:00")]));
    expect(err).toMatchObject({ code: "BAD_USER_INPUT", field: "rules[2]" });
    expect(err.message).toContain("TUESDAY");
  });

  it("refuses a rule inside another one", () => {
    expect(failure(() => parseWeeklySchedule([rule("MONDAY", "08:00", "18:00"), rule("MONDAY", "10:00", "11:00")]))).toMatchObject({ code: "BAD_USER_INPUT" });
  });

  it("allows the same window on different days", () => {
    expect(parseWeeklySchedule([rule("MONDAY", "08:00", "12:00"), rule("TUESDAY", "08:00", "12:00")])).toHaveLength(2);
  });

  it("refuses an end before or at the start", () => {
    expect(failure(() => parseWeeklySchedule([rule("MONDAY", "12:00", "12:00")]))).toMatchObject({ field: "rules[0].endTime" });
    expect(failure(() => parseWeeklySchedule([rule("MONDAY", "12:00", "08:00")]))).toMatchObject({ field: "rules[0].endTime" });
  });

  it("requires slots of 5 to 480 minutes that divide the window", () => {
    expect(failure(() => parseWeeklySchedule([rule("MONDAY", "08:00", "12:00", 4)]))).toMatchObject({ field: "rules[0].slotMinutes" });
    expect(failure(() => parseWeeklySchedule([rule("MONDAY", "00:00", "24:00", 481)]))).toMatchObject({ field: "rules[0].slotMinutes" });
    expect(failure(() => parseWeeklySchedule([rule("MONDAY", "08:00", "12:00", 7.5)]))).toMatchObject({ field: "rules[0].slotMinutes" });
    expect(failure(() => parseWeeklySchedule([rule("MONDAY", "09:00", "10:00", 45)]))).toMatchObject({ field: "rules[0].slotMinutes" });
    expect(parseWeeklySchedule([rule("MONDAY", "09:00", "10:30", 45), rule("MONDAY", "00:00", "08:00", 480)])).toHaveLength(2);
  });

  it("refuses an unknown day and too many rules", () => {
    expect(failure(() => parseWeeklySchedule([rule("FUNDAY" as "MONDAY", "08:00", "09:00")]))).toMatchObject({ field: "rules[0].dayOfWeek" });
    const many = Array.from({ length: MAX_RULES + 1 }, () => rule("MONDAY", "08:00", "09:00"));
    expect(failure(() => parseWeeklySchedule(many))).toMatchObject({ code: "BAD_USER_INPUT", field: "rules" });
  });
});
