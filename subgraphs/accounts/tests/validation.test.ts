import { describe, expect, it } from "@jest/globals";
import { DomainError } from "@clinigraph/platform";
import {
  checkDateOfBirth,
  checkPasswordPolicy,
  isSingleScript,
  normalizeEmail,
  normalizeName,
  normalizeNationalId,
  normalizePhone,
} from "../src/domain/validation.js";

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

describe("e-mail addresses that look like others", () => {
  it("normalises compatibility forms (NFKC) and case", () => {
    expect(normalizeEmail("ＡＮＮ@ＥＸＡＭＰＬＥ.ｔｅｓｔ")).toBe("ann@example.test");
    expect(normalizeEmail("Ａnn.Lee@Example.test")).toBe("ann.lee@example.test");
  });

  it.each([
    ["Cyrillic а in a Latin local part", "p\u0430ypal@example.test"],
    ["Cyrillic о in a Latin domain", "ann@g\u043Eogle.com"],
    ["Greek ο in a Latin local part", "j\u03BFhn@example.test"],
    ["Latin a in a Cyrillic domain label", "ann@\u043F\u0440\u0438\u043Cep.\u0440\u0444"],
    ["zero-width space", "ann\u200B@example.test"],
    ["right-to-left override", "ann\u202E@example.test"],
    ["soft hyphen", "an\u00ADn@example.test"],
  ])("refuses %s (BAD_USER_INPUT on the field)", (_name, email) => {
    expect(codeOf(() => normalizeEmail(email))).toBe("BAD_USER_INPUT:input.email");
    expect(codeOf(() => normalizeEmail(email, "email"))).toBe("BAD_USER_INPUT:email");
  });

  it("the refusal never repeats the address", () => {
    try {
      normalizeEmail("p\u0430ypal@example.test");
    } catch (err) {
      expect((err as Error).message).not.toContain("ypal");
    }
  });

  it.each([
    ["plain ASCII", "ann.lee+tag@example.test"],
    ["punycode domain", "ann@xn--e1afmkfd.xn--p1ai"],
    ["Cyrillic address, Cyrillic domain", "\u0430\u043D\u043D\u0430@\u043F\u0440\u0438\u043C\u0435\u0440.\u0440\u0444"],
    ["accented Latin", "hélène.côté@exemple.fr"],
    ["German IDN domain", "jürgen@münchen.de"],
    ["Cyrillic domain label, Latin TLD", "ann@\u043F\u0440\u0438\u043C\u0435\u0440.com"],
    ["Japanese (Han and kana together)", "山田たろう@例え.jp"],
    ["Korean", "민지@example.test"],
  ])("keeps %s", (_name, email) => {
    expect(normalizeEmail(email)).toBe(email.normalize("NFKC").toLowerCase());
  });

  it("one script per part, digits and punctuation belong to any", () => {
    expect(isSingleScript("ann-1.lee_2")).toBe(true);
    expect(isSingleScript("\u0430nn")).toBe(false);
    expect(isSingleScript("123")).toBe(true);
  });
});

describe("names", () => {
  it("refuses bidirectional overrides and terminal control characters, on the field", () => {
    expect(codeOf(() => normalizeName("Ann\u202ELee"))).toBe("BAD_USER_INPUT:input.name");
    expect(codeOf(() => normalizeName("\u2067Ann\u2069"))).toBe("BAD_USER_INPUT:input.name");
    expect(codeOf(() => normalizeName("Ann \u001b[2J Lee"))).toBe("BAD_USER_INPUT:input.name");
    expect(codeOf(() => normalizeName("Ann\u0085Lee"))).toBe("BAD_USER_INPUT:input.name");
  });

  it("keeps Korean, Russian, French accents and emoji; line breaks become one space", () => {
    for (const name of ["김민지", "Анна Петрова", "Hélène Côté", "Ann 🌷 Lee"]) expect(normalizeName(name)).toBe(name);
    expect(normalizeName(" Ann\n\tLee ")).toBe("Ann Lee");
  });
});
