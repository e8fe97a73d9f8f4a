/** The one check of a caller's time zone: IANA names only, never an offset, whatever ICU the runtime carries. */
import { describe, expect, it } from "@jest/globals";
import { z } from "zod";
import { canonicalTimeZone, ConfigError, isIanaTimeZone, readEnv, v } from "../src/index.js";

describe("isIanaTimeZone", () => {
  it.each([
    "Europe/Berlin",
    "America/New_York",
    "America/Argentina/Buenos_Aires",
    "America/Port-au-Prince",
    "Asia/Seoul",
    "UTC",
    "Etc/UTC",
    "Etc/GMT+2",
    "Etc/GMT-14",
  ])("accepts %s", (zone) => {
    expect(isIanaTimeZone(zone)).toBe(true);
  });

  it.each([
    // offsets, however spelled (Node 22+'s ICU takes the first four as zones)
    "+02:00",
    "-05:00",
    "+0200",
    "+02",
    "UTC+2",
    "UTC+02:00",
    "GMT+0200",
    "GMT+2",
    "utc-3",
    "UT+1",
    "Z",
    // not names, or names nobody knows
    "",
    " ",
    " Europe/Berlin",
    "Europe/Berlin ",
    "Berlin",
    "Mars/Olympus",
    "Europe/Atlantis",
    "Europe/../../../etc/passwd",
    "Europe/Berlin; DROP TABLE",
    "Europe//Berlin",
    "/Europe/Berlin",
    "Europe/Berlin/",
    "A".repeat(200_000),
  ])("refuses %p", (zone) => {
    expect(isIanaTimeZone(zone)).toBe(false);
    expect(canonicalTimeZone(zone)).toBeNull();
  });

  it.each([undefined, null, 2, {}, ["Europe/Berlin"]])("refuses the non-string %p", (value) => {
    expect(isIanaTimeZone(value)).toBe(false);
  });
});

describe("canonicalTimeZone", () => {
  it("returns the runtime's spelling of a name in any case", () => {
    expect(canonicalTimeZone("europe/berlin")).toBe("Europe/Berlin");
    expect(canonicalTimeZone("ASIA/SEOUL")).toBe("Asia/Seoul");
    expect(canonicalTimeZone("utc")).toBe("UTC");
    expect(canonicalTimeZone("Etc/GMT+2")).toBe("Etc/GMT+2");
  });
});

describe("v.timeZone (configuration)", () => {
  const read = (value: string | undefined) => readEnv({ CLINIC_TIMEZONE: v.timeZone("Europe/Berlin") } satisfies z.ZodRawShape, { CLINIC_TIMEZONE: value });

  it("takes an IANA name and falls back when unset", () => {
    expect(read("Asia/Seoul").CLINIC_TIMEZONE).toBe("Asia/Seoul");
    expect(read(undefined).CLINIC_TIMEZONE).toBe("Europe/Berlin");
    expect(read("").CLINIC_TIMEZONE).toBe("Europe/Berlin");
  });

  it.each(["+02:00", "UTC+2", "Mars/Olympus"])("stops the boot on %p, naming the variable", (value) => {
    expect(() => read(value)).toThrow(ConfigError);
    expect(() => read(value)).toThrow(/^CLINIC_TIMEZONE must be an IANA time zone/);
  });
});
