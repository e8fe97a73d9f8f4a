import { describe, expect, it } from "@jest/globals";
import { DomainError } from "@clinigraph/platform";
import { normalizeTimeZone } from "../src/domain/timezone.js";

describe("time zones", () => {
  it.each(["Europe/Berlin", "America/New_York", "Asia/Seoul", "America/Argentina/Buenos_Aires", "UTC", "Etc/GMT+5"])("accepts %s", (zone) => {
    expect(() => normalizeTimeZone(zone)).not.toThrow();
  });

  it.each(["Mars/Olympus", "Europe/Atlantis", "", "Berlin", "+02:00", "+02", "-0500", "UTC+2", "GMT+2", "Europe/Berlin; DROP TABLE", "../etc/passwd"])(
    "refuses %p",
    (zone) => {
      expect(() => normalizeTimeZone(zone)).toThrow(DomainError);
    },
  );

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
