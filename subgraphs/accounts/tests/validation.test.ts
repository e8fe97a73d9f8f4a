import { describe, expect, it } from "@jest/globals";
import { DomainError } from "@clinigraph/platform";
import { checkDateOfBirth, checkPasswordPolicy, normalizeEmail, normalizeNationalId, normalizePhone } from "../src/domain/validation.js";

const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return err instanceof DomainError ? `${err.code}:${err.field}` : "other";
  }
  return "ok";
};

describe("password policy", () => {
  it.each([
    ["short", "Ab1!short", "BAD_USER_INPUT:input.password"],
    ["one class", "aaaaaaaaaaaaaa", "BAD_USER_INPUT:input.password"],
    ["two classes", "aaaaaaaaaa1111", "BAD_USER_INPUT:input.password"],
    ["three classes", "Aaaaaaaaaa1111", "ok"],
    ["lower, digit, symbol", "correct-horse-9", "ok"],
  ])("%s", (_name, password, expected) => {
    expect(codeOf(() => checkPasswordPolicy(password, "ann@example.test"))).toBe(expected);
  });

  it("refuses the e-mail address as password, whatever its case", () => {
    expect(codeOf(() => checkPasswordPolicy("Ann.Lee1@Example.test", "ann.lee1@example.test"))).toBe("BAD_USER_INPUT:input.password");
  });
});

describe("contact data", () => {
  it("normalises e-mail and rejects malformed ones", () => {
    expect(normalizeEmail("  Ann@Example.TEST ")).toBe("ann@example.test");
    expect(codeOf(() => normalizeEmail("ann@"))).toBe("BAD_USER_INPUT:input.email");
    expect(codeOf(() => normalizeEmail("a b@c.de"))).toBe("BAD_USER_INPUT:input.email");
  });

  it("normalises phones to digits with an optional +", () => {
    expect(normalizePhone("+49 (30) 123-4567")).toBe("+49301234567");
    expect(normalizePhone("  ")).toBeNull();
    expect(codeOf(() => normalizePhone("12ab"))).toBe("BAD_USER_INPUT:input.phone");
  });

  it("refuses a birth date in the future", () => {
    const now = new Date("2026-11-26T00:00:00Z");
    expect(codeOf(() => checkDateOfBirth(new Date("2027-01-01T00:00:00Z"), now))).toBe("BAD_USER_INPUT:input.dateOfBirth");
    expect(checkDateOfBirth(new Date("1990-05-01T00:00:00Z"), now)?.toISOString()).toBe("1990-05-01T00:00:00.000Z");
  });
});

describe("national id", () => {
  it("normalises case and spaces; the compact form ignores spaces and dashes", () => {
    expect(normalizeNationalId("  ab-123   456 ")).toEqual({ display: "AB-123 456", compact: "AB123456" });
    expect(normalizeNationalId("ab123456")?.compact).toBe(normalizeNationalId("AB 123-456")?.compact);
    expect(normalizeNationalId("Ülkü 1234")).toEqual({ display: "ÜLKÜ 1234", compact: "ÜLKÜ1234" });
    expect(normalizeNationalId(" ")).toBeNull();
    expect(normalizeNationalId(null)).toBeNull();
  });

  it.each([
    ["too short", "AB1"],
    ["too long", "A".repeat(33)],
    ["only separators", "- - -"],
    ["symbols", "AB12/34"],
    ["a dot", "AB.1234"],
  ])("refuses %s without repeating the input", (_name, raw) => {
    expect(codeOf(() => normalizeNationalId(raw))).toBe("BAD_USER_INPUT:input.nationalId");
    try {
      normalizeNationalId(raw);
    } catch (err) {
      expect((err as Error).message).not.toContain(raw);
    }
  });
});
