import { describe, expect, it } from "@jest/globals";
import { DomainError } from "@clinigraph/platform";
import { isValidTimeZone, normalizeTimeZone } from "../src/domain/timezone.js";

describe("time zones", () => {
  it.each(["Europe/Berlin", "America/New_York", "Asia/Seoul", "America/Argentina/Buenos_Aires", "UTC", "Etc/GMT+5"])("accepts %s", (zone) => {
    expect(isValidTimeZone(zone)).toBe(true);
  });

  it.each(["Mars/Olympus", "Europe/Atlantis", "", "Berlin", "+02:00", "GMT+2", "Europe/Berlin; DROP TABLE", "../etc/passwd"])("refuses %p", (zone) => {
    expect(isValidTimeZone(zone)).toBe(false);
  });

  it("answers BAD_USER_INPUT on the given field for an unknown zone", () => {
    let error: unknown;
    try {
      normalizeTimeZone("Mars/Olympus", "input.timezone");
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: "BAD_USER_INPUT", field: "input.timezone" });
  });

  it("returns the canonical spelling", () => {
    expect(normalizeTimeZone(" europe/berlin ")).toBe("Europe/Berlin");
    expect(normalizeTimeZone("Asia/Seoul")).toBe("Asia/Seoul");
  });
});
