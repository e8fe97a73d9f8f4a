/** Weekly rules → slots across DST changes. Runs twice: in the "unit" project and in "unit-tz" (process TZ = UTC+14). */
import { describe, expect, it } from "@jest/globals";
import { DateTime, Settings } from "luxon";
import { generateSlots, parseHHMM, type DayOfWeek, type GeneratedSlot, type TimeOffRange, type WeeklyRule } from "../src/slotGeneration.js";

const BERLIN = "Europe/Berlin";

const rule = (dayOfWeek: DayOfWeek, startTime: string, endTime: string, slotMinutes: number): WeeklyRule => ({ dayOfWeek, startTime, endTime, slotMinutes });
const everyDay = (startTime: string, endTime: string, slotMinutes: number): WeeklyRule[] =>
  (["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"] as const).map((day) => rule(day, startTime, endTime, slotMinutes));

/** Local midnight of `date` in `zone` (all zones used here have a midnight on these dates). */
const midnight = (zone: string, date: string): Date => DateTime.fromISO(`${date}T00:00`, { zone }).toJSDate();
const utc = (iso: string): Date => new Date(iso);

/** Slots of the local days [firstDate, firstDate + days). */
function slotsOnDays(zone: string, rules: WeeklyRule[], firstDate: string, days = 1, timeOff: TimeOffRange[] = []): GeneratedSlot[] {
  const from = DateTime.fromISO(`${firstDate}T00:00`, { zone });
  return generateSlots({ timezone: zone, rules, timeOff, from: from.toJSDate(), to: from.plus({ days }).toJSDate() });
}
const starts = (slots: GeneratedSlot[]): string[] => slots.map((s) => s.startsAt.toISOString());
const localStarts = (slots: GeneratedSlot[], zone: string): string[] =>
  slots.map((s) => DateTime.fromJSDate(s.startsAt, { zone }).toFormat("yyyy-MM-dd HH:mm ZZ"));
const minutesLong = (slot: GeneratedSlot): number => (slot.endsAt.getTime() - slot.startsAt.getTime()) / 60_000;
/** Slot counts per local date. */
function perDay(slots: GeneratedSlot[], zone: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const s of slots) {
    const date = DateTime.fromJSDate(s.startsAt, { zone }).toISODate() ?? "?";
    counts[date] = (counts[date] ?? 0) + 1;
  }
  return counts;
}
const MORNING_STEPS = ["09:00", "09:30", "10:00", "10:30", "11:00", "11:30"];

describe("process time zone", () => {
  it("is really UTC+14 in the unit-tz project", () => {
    if (process.env.TZ !== "Pacific/Kiritimati") return;
    // Not new Date(0): Kiritimati was UTC-10:40 in 1970 and only moved to +14 in 1995.
    expect(new Date(Date.UTC(2026, 0, 1, 12)).getTimezoneOffset()).toBe(-840);
    expect(new Date(Date.UTC(2026, 0, 1, 12)).getHours()).toBe(2);
  });
});

describe("parseHHMM", () => {
  it("reads minutes after midnight, 24:00 included", () => {
    expect(parseHHMM("00:00")).toBe(0);
    expect(parseHHMM("09:30")).toBe(570);
    expect(parseHHMM("23:59")).toBe(1439);
    expect(parseHHMM("24:00")).toBe(1440);
  });
  it.each(["9:00", "09:60", "24:01", "25:00", "0900", "09:00:00", " 09:00", "", "ab:cd"])("rejects %j", (value) => {
    expect(() => parseHHMM(value)).toThrow(/Invalid time/);
  });
});

describe("Europe/Berlin, spring forward on 2026-03-29 (02:00 CET → 03:00 CEST)", () => {
  const rules = [rule("SATURDAY", "09:00", "12:00", 30), rule("SUNDAY", "09:00", "12:00", 30), rule("MONDAY", "09:00", "12:00", 30)];
  const slots = slotsOnDays(BERLIN, rules, "2026-03-28", 3);

  it("keeps 09:00 local on both sides: 08:00Z before, 07:00Z on and after the change day", () => {
    expect(perDay(slots, BERLIN)).toEqual({ "2026-03-28": 6, "2026-03-29": 6, "2026-03-30": 6 });
    expect(slots[0]?.startsAt).toEqual(utc("2026-03-28T08:00:00Z"));
    expect(slots[6]?.startsAt).toEqual(utc("2026-03-29T07:00:00Z"));
    expect(slots[12]?.startsAt).toEqual(utc("2026-03-30T07:00:00Z"));
  });

  it("steps in wall-clock time, one slot per rule step each day, each 30 real minutes long", () => {
    const times = localStarts(slots, BERLIN).map((s) => s.slice(11, 16));
    expect(times).toEqual([...MORNING_STEPS, ...MORNING_STEPS, ...MORNING_STEPS]);
    expect(localStarts(slots, BERLIN)[6]).toBe("2026-03-29 09:00 +02:00");
    expect(slots.every((s) => minutesLong(s) === 30 && !s.blocked)).toBe(true);
  });

  it("skips local starts inside the gap: 01:00–04:00 hourly → 01:00 CET and 03:00 CEST only", () => {
    const gap = slotsOnDays(BERLIN, [rule("SUNDAY", "01:00", "04:00", 60)], "2026-03-29");
    expect(localStarts(gap, BERLIN)).toEqual(["2026-03-29 01:00 +01:00", "2026-03-29 03:00 +02:00"]);
    expect(gap).toEqual([
      { startsAt: utc("2026-03-29T00:00:00Z"), endsAt: utc("2026-03-29T01:00:00Z"), blocked: false },
      { startsAt: utc("2026-03-29T01:00:00Z"), endsAt: utc("2026-03-29T02:00:00Z"), blocked: false },
    ]);
  });

  it("skips every step that falls in the gap, keeping the rest of the grid", () => {
    const gap = slotsOnDays(BERLIN, [rule("SUNDAY", "01:00", "04:00", 30)], "2026-03-29");
    expect(localStarts(gap, BERLIN).map((s) => s.slice(11))).toEqual(["01:00 +01:00", "01:30 +01:00", "03:00 +02:00", "03:30 +02:00"]);
  });

  it("gives a slot whose wall-clock end is in the gap its full real length (01:30 + 60 min ends 03:30 CEST)", () => {
    const [slot] = slotsOnDays(BERLIN, [rule("SUNDAY", "01:30", "02:30", 60)], "2026-03-29");
    expect(slot).toEqual({ startsAt: utc("2026-03-29T00:30:00Z"), endsAt: utc("2026-03-29T01:30:00Z"), blocked: false });
  });
});

describe("Europe/Berlin, fall back on 2026-10-25 (03:00 CEST → 02:00 CET)", () => {
  const rules = [rule("SATURDAY", "09:00", "12:00", 30), rule("SUNDAY", "09:00", "12:00", 30), rule("MONDAY", "09:00", "12:00", 30)];
  const slots = slotsOnDays(BERLIN, rules, "2026-10-24", 3);

  it("keeps 09:00 local on both sides: 07:00Z before, 08:00Z on and after the change day", () => {
    expect(perDay(slots, BERLIN)).toEqual({ "2026-10-24": 6, "2026-10-25": 6, "2026-10-26": 6 });
    expect(slots[0]?.startsAt).toEqual(utc("2026-10-24T07:00:00Z"));
    expect(slots[6]?.startsAt).toEqual(utc("2026-10-25T08:00:00Z"));
    expect(slots[12]?.startsAt).toEqual(utc("2026-10-26T08:00:00Z"));
    expect(localStarts(slots, BERLIN).map((s) => s.slice(11, 16))).toEqual([...MORNING_STEPS, ...MORNING_STEPS, ...MORNING_STEPS]);
  });

  it("yields one slot for a start that occurs twice, at the first occurrence: 01:00–04:00 hourly → 01:00, 02:00 CEST, 03:00 CET", () => {
    const overlap = slotsOnDays(BERLIN, [rule("SUNDAY", "01:00", "04:00", 60)], "2026-10-25");
    expect(localStarts(overlap, BERLIN)).toEqual(["2026-10-25 01:00 +02:00", "2026-10-25 02:00 +02:00", "2026-10-25 03:00 +01:00"]);
    expect(overlap).toEqual([
      { startsAt: utc("2026-10-24T23:00:00Z"), endsAt: utc("2026-10-25T00:00:00Z"), blocked: false },
      { startsAt: utc("2026-10-25T00:00:00Z"), endsAt: utc("2026-10-25T01:00:00Z"), blocked: false },
      { startsAt: utc("2026-10-25T02:00:00Z"), endsAt: utc("2026-10-25T03:00:00Z"), blocked: false },
    ]);
  });

  it("resolves the ambiguous hour the same way whatever today's date is (luxon alone uses the offset of now)", () => {
    const original = Settings.now;
    try {
      const results = [Date.UTC(2026, 0, 15), Date.UTC(2026, 6, 15)].map((now) => {
        Settings.now = () => now;
        return starts(slotsOnDays(BERLIN, [rule("SUNDAY", "02:00", "03:00", 30)], "2026-10-25"));
      });
      expect(results[0]).toEqual(["2026-10-25T00:00:00.000Z", "2026-10-25T00:30:00.000Z"]);
      expect(results[1]).toEqual(results[0]);
    } finally {
      Settings.now = original;
    }
  });
});

describe("America/New_York (2026-03-08 and 2026-11-01)", () => {
  const NY = "America/New_York";
  it("keeps 09:00 local: 14:00Z in winter, 13:00Z in summer", () => {
    const march = slotsOnDays(NY, everyDay("09:00", "10:00", 60), "2026-03-07", 2);
    expect(starts(march)).toEqual(["2026-03-07T14:00:00.000Z", "2026-03-08T13:00:00.000Z"]);
    const november = slotsOnDays(NY, everyDay("09:00", "10:00", 60), "2026-10-31", 2);
    expect(starts(november)).toEqual(["2026-10-31T13:00:00.000Z", "2026-11-01T14:00:00.000Z"]);
  });
  it("skips the spring gap (02:00–03:00) and takes the first 01:00 in the fall overlap (01:00–02:00)", () => {
    const march = slotsOnDays(NY, [rule("SUNDAY", "01:00", "04:00", 60)], "2026-03-08");
    expect(localStarts(march, NY).map((s) => s.slice(11))).toEqual(["01:00 -05:00", "03:00 -04:00"]);
    const november = slotsOnDays(NY, [rule("SUNDAY", "00:00", "03:00", 60)], "2026-11-01");
    expect(starts(november)).toEqual(["2026-11-01T04:00:00.000Z", "2026-11-01T05:00:00.000Z", "2026-11-01T07:00:00.000Z"]);
    expect(localStarts(november, NY).map((s) => s.slice(11))).toEqual(["00:00 -04:00", "01:00 -04:00", "02:00 -05:00"]);
  });
});

describe("Australia/Sydney, southern hemisphere (fall back 2026-04-05, spring forward 2026-10-04)", () => {
  const SYD = "Australia/Sydney";
  it("keeps 09:00 local: 22:00Z (AEDT) before April's change, 23:00Z (AEST) after; the reverse in October", () => {
    expect(starts(slotsOnDays(SYD, everyDay("09:00", "10:00", 60), "2026-04-04", 2))).toEqual(["2026-04-03T22:00:00.000Z", "2026-04-04T23:00:00.000Z"]);
    expect(starts(slotsOnDays(SYD, everyDay("09:00", "10:00", 60), "2026-10-03", 2))).toEqual(["2026-10-02T23:00:00.000Z", "2026-10-03T22:00:00.000Z"]);
  });
  it("takes the first 02:00 in April's overlap and skips 02:00 in October's gap", () => {
    const april = slotsOnDays(SYD, [rule("SUNDAY", "01:00", "04:00", 60)], "2026-04-05");
    expect(starts(april)).toEqual(["2026-04-04T14:00:00.000Z", "2026-04-04T15:00:00.000Z", "2026-04-04T17:00:00.000Z"]);
    expect(localStarts(april, SYD).map((s) => s.slice(11))).toEqual(["01:00 +11:00", "02:00 +11:00", "03:00 +10:00"]);
    const october = slotsOnDays(SYD, [rule("SUNDAY", "01:00", "04:00", 60)], "2026-10-04");
    expect(localStarts(october, SYD).map((s) => s.slice(11))).toEqual(["01:00 +10:00", "03:00 +11:00"]);
  });
});

describe("Asia/Kolkata (+05:30, no DST)", () => {
  const IST = "Asia/Kolkata";
  it("puts 09:00 local at 03:30Z every day of the year", () => {
    const slots = generateSlots({
      timezone: IST,
      rules: [rule("MONDAY", "09:00", "10:00", 60)],
      timeOff: [],
      from: utc("2026-01-01T00:00:00Z"),
      to: utc("2027-01-01T00:00:00Z"),
    });
    expect(slots).toHaveLength(52);
    expect(slots.every((s) => s.startsAt.toISOString().endsWith("T03:30:00.000Z"))).toBe(true);
  });
  it("uses the local calendar day, not the UTC one (Monday 00:00 IST is Sunday 18:30Z)", () => {
    const slots = generateSlots({
      timezone: IST,
      rules: [rule("MONDAY", "00:00", "02:00", 60)],
      timeOff: [],
      from: utc("2026-06-07T18:00:00Z"),
      to: utc("2026-06-07T20:00:00Z"),
    });
    expect(starts(slots)).toEqual(["2026-06-07T18:30:00.000Z", "2026-06-07T19:30:00.000Z"]);
  });
});

describe("Australia/Lord_Howe (30-minute DST shift)", () => {
  const LHI = "Australia/Lord_Howe";
  it("takes the first occurrence in April's half-hour overlap (01:30–02:00 happens twice)", () => {
    const slots = slotsOnDays(LHI, [rule("SUNDAY", "01:00", "03:00", 15)], "2026-04-05");
    expect(localStarts(slots, LHI).map((s) => s.slice(11))).toEqual([
      "01:00 +11:00",
      "01:15 +11:00",
      "01:30 +11:00",
      "01:45 +11:00",
      "02:00 +10:30",
      "02:15 +10:30",
      "02:30 +10:30",
      "02:45 +10:30",
    ]);
    expect(starts(slots).slice(2, 5)).toEqual(["2026-04-04T14:30:00.000Z", "2026-04-04T14:45:00.000Z", "2026-04-04T15:30:00.000Z"]);
  });
  it("skips the half-hour gap in October (02:00–02:30 does not exist)", () => {
    const slots = slotsOnDays(LHI, [rule("SUNDAY", "01:00", "03:00", 15)], "2026-10-04");
    expect(localStarts(slots, LHI).map((s) => s.slice(11))).toEqual([
      "01:00 +10:30",
      "01:15 +10:30",
      "01:30 +10:30",
      "01:45 +10:30",
      "02:30 +11:00",
      "02:45 +11:00",
    ]);
  });
});

describe("time off", () => {
  const IST = "Asia/Kolkata";
  const at = (time: string): Date => DateTime.fromISO(`2026-06-08T${time}`, { zone: IST }).toJSDate(); // a Monday
  const day = (timeOff: TimeOffRange[]) => slotsOnDays(IST, [rule("MONDAY", "09:00", "12:00", 30)], "2026-06-08", 1, timeOff);
  const blockedTimes = (slots: GeneratedSlot[]) =>
    localStarts(
      slots.filter((s) => s.blocked),
      IST,
    ).map((s) => s.slice(11, 16));

  it("blocks exactly the overlapping slots, half-open at both edges", () => {
    const slots = day([{ from: at("09:30"), to: at("10:30") }]);
    expect(slots).toHaveLength(6);
    expect(blockedTimes(slots)).toEqual(["09:30", "10:00"]);
  });
  it("does not block a slot that starts where the time off ends, nor one that ends where it starts", () => {
    expect(blockedTimes(day([{ from: at("08:00"), to: at("09:00") }]))).toEqual([]);
    expect(blockedTimes(day([{ from: at("12:00"), to: at("13:00") }]))).toEqual([]);
  });
  it("blocks a slot touched by even one minute, and merges several ranges", () => {
    expect(blockedTimes(day([{ from: at("10:59"), to: at("11:00") }]))).toEqual(["10:30"]);
    expect(
      blockedTimes(
        day([
          { from: at("09:10"), to: at("09:20") },
          { from: at("11:45"), to: at("18:00") },
        ]),
      ),
    ).toEqual(["09:00", "11:30"]);
    expect(blockedTimes(day([{ from: at("00:00"), to: at("23:59") }]))).toHaveLength(6);
  });
  it("ignores empty or inverted ranges", () => {
    expect(
      blockedTimes(
        day([
          { from: at("10:00"), to: at("10:00") },
          { from: at("11:00"), to: at("10:00") },
        ]),
      ),
    ).toEqual([]);
  });
  it("works in absolute time across a fall-back overlap", () => {
    // 00:30Z–01:30Z on 2026-10-25 is 02:30 CEST – 02:30 CET in Berlin.
    const slots = slotsOnDays(BERLIN, [rule("SUNDAY", "01:00", "04:00", 30)], "2026-10-25", 1, [
      { from: utc("2026-10-25T00:30:00Z"), to: utc("2026-10-25T01:30:00Z") },
    ]);
    const described = slots.map((s) => `${DateTime.fromJSDate(s.startsAt, { zone: BERLIN }).toFormat("HH:mm ZZ")}${s.blocked ? " blocked" : ""}`);
    expect(described).toEqual(["01:00 +02:00", "01:30 +02:00", "02:00 +02:00", "02:30 +02:00 blocked", "03:00 +01:00", "03:30 +01:00"]);
  });
});

describe("range and horizon", () => {
  const IST = "Asia/Kolkata";
  const at = (time: string): Date => DateTime.fromISO(`2026-06-08T${time}`, { zone: IST }).toJSDate();
  const rules = [rule("MONDAY", "09:00", "12:00", 30)];

  it("includes a slot starting at from and excludes one starting at to", () => {
    const slots = generateSlots({ timezone: IST, rules, timeOff: [], from: at("09:30"), to: at("11:00") });
    expect(localStarts(slots, IST).map((s) => s.slice(11, 16))).toEqual(["09:30", "10:00", "10:30"]);
  });
  it("excludes a slot that started before from even though it is still running", () => {
    const slots = generateSlots({ timezone: IST, rules, timeOff: [], from: at("09:15"), to: at("09:31") });
    expect(localStarts(slots, IST).map((s) => s.slice(11, 16))).toEqual(["09:30"]);
  });
  it("returns nothing when no rule matches the range's days", () => {
    expect(generateSlots({ timezone: IST, rules, timeOff: [], from: midnight(IST, "2026-06-09"), to: midnight(IST, "2026-06-15") })).toEqual([]);
  });
  it("handles a day that ends at 24:00, and local days of a UTC+14 zone", () => {
    const slots = slotsOnDays("Pacific/Kiritimati", [rule("MONDAY", "22:00", "24:00", 60)], "2026-06-08");
    expect(starts(slots)).toEqual(["2026-06-08T08:00:00.000Z", "2026-06-08T09:00:00.000Z"]);
  });
  it("dedupes equal starts from overlapping rules (the earlier rule wins) and sorts by start", () => {
    const slots = slotsOnDays(IST, [rule("MONDAY", "10:00", "11:00", 60), rule("MONDAY", "09:00", "10:30", 30)], "2026-06-08");
    expect(localStarts(slots, IST).map((s) => s.slice(11, 16))).toEqual(["09:00", "09:30", "10:00"]);
    expect(slots.map(minutesLong)).toEqual([30, 30, 60]);
  });
  it("yields the expected count over an 8-week horizon across the March change, 09:00 and 13:00 local throughout", () => {
    const weekdays = (["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY"] as const).flatMap((d) => [
      rule(d, "09:00", "12:00", 30),
      rule(d, "13:00", "17:00", 20),
    ]);
    const slots = slotsOnDays(BERLIN, weekdays, "2026-03-02", 56); // Monday 2 March → Monday 27 April (exclusive)
    expect(slots).toHaveLength(8 * 5 * (6 + 12));
    const byDay = perDay(slots, BERLIN);
    expect(Object.keys(byDay)).toHaveLength(40);
    expect(Object.values(byDay).every((n) => n === 18)).toBe(true);
    const local = localStarts(slots, BERLIN);
    const firstOfDay = Object.keys(byDay).map((date) => local.find((s) => s.startsWith(date)));
    expect(firstOfDay.every((s) => s?.slice(11, 16) === "09:00")).toBe(true);
    expect(firstOfDay[0]).toBe("2026-03-02 09:00 +01:00");
    expect(firstOfDay[39]).toBe("2026-04-24 09:00 +02:00");
    const ms = slots.map((s) => s.startsAt.getTime());
    expect(new Set(ms).size).toBe(ms.length);
    expect([...ms].sort((a, b) => a - b)).toEqual(ms);
  });
});

describe("invalid input throws", () => {
  const ok = {
    timezone: BERLIN,
    rules: [rule("MONDAY", "09:00", "12:00", 30)],
    timeOff: [],
    from: utc("2026-06-01T00:00:00Z"),
    to: utc("2026-06-08T00:00:00Z"),
  };
  const withRule = (patch: Partial<WeeklyRule>) => ({ ...ok, rules: [{ ...rule("MONDAY", "09:00", "12:00", 30), ...patch }] });

  it("accepts the baseline", () => {
    expect(generateSlots(ok)).toHaveLength(6);
  });
  it.each(["Mars/Olympus_Mons", "", "Europe/Atlantis", "+02:00"])("an invalid zone %j", (timezone) => {
    expect(() => generateSlots({ ...ok, timezone })).toThrow(/time zone/);
  });
  it.each([{ startTime: "9:00" }, { endTime: "12:60" }, { endTime: "24:30" }, { startTime: "nine" }])("a malformed time %j", (patch) => {
    expect(() => generateSlots(withRule(patch))).toThrow(/Invalid time/);
  });
  it.each([4, 481, 0, -30, 7.5, Number.NaN])("slotMinutes %p", (slotMinutes) => {
    expect(() => generateSlots(withRule({ slotMinutes }))).toThrow(/slotMinutes/);
  });
  it.each([
    { startTime: "12:00", endTime: "12:00" },
    { startTime: "12:00", endTime: "09:00" },
    { startTime: "24:00", endTime: "24:00" },
  ])("endTime not after startTime %j", (patch) => {
    expect(() => generateSlots(withRule(patch))).toThrow(/endTime must be after startTime/);
  });
  it("an unknown dayOfWeek", () => {
    expect(() => generateSlots(withRule({ dayOfWeek: "FUNDAY" as DayOfWeek }))).toThrow(/dayOfWeek/);
  });
  it("from ≥ to, or an invalid date", () => {
    expect(() => generateSlots({ ...ok, to: ok.from })).toThrow(/from before to/);
    expect(() => generateSlots({ ...ok, from: ok.to, to: ok.from })).toThrow(/from before to/);
    expect(() => generateSlots({ ...ok, from: new Date(Number.NaN) })).toThrow(/valid dates/);
  });
});
