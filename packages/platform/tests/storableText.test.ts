import { describe, expect, it } from "@jest/globals";
import { parse } from "graphql";
import { checkHumanText, documentHasUnstorableText, hasUnstorableText, isSafeText, isStorableText } from "../src/storableText.js";
import { DomainError } from "../src/errors.js";

describe("storable text", () => {
  it("refuses NUL and unpaired surrogates, keeps everything else (pairs, quotes, scripts)", () => {
    for (const bad of ["a\u0000b", "\u0000", "x\ud800", "\udc00y", "\ud800\ud800\udc00"]) expect({ bad, ok: isStorableText(bad) }).toEqual({ bad, ok: false });
    for (const good of ["", "' OR 1=1 --", "<script>alert(1)</script>", "😀 emoji pair", "Ünïcödé", "tab\tnew\nline", "\u0001"])
      expect({ good, ok: isStorableText(good) }).toEqual({ good, ok: true });
  });

  it("finds them anywhere in variables, keys included, however deep", () => {
    expect(hasUnstorableText({ i: { name: "ok", tags: ["fine", "no\u0000"] } })).toBe(true);
    expect(hasUnstorableText({ i: { "k\u0000": 1 } })).toBe(true);
    expect(hasUnstorableText({ i: { name: "ok", n: 3, b: true, z: null } })).toBe(false);
    const deep = JSON.parse(`{"f":${"[".repeat(100_000)}"\\u0000"${"]".repeat(100_000)}}`) as unknown;
    expect(hasUnstorableText(deep)).toBe(true);
  });

  it("finds them in the document's string literals", () => {
    expect(documentHasUnstorableText(parse('mutation { cancel(reason: "a\\u0000b") }'))).toBe(true);
    expect(documentHasUnstorableText(parse('mutation { cancel(reason: "it\'s fine") }'))).toBe(false);
  });
});

describe("safe text: bidirectional overrides and control characters", () => {
  const legit = ["김민지", "Анна Петрова", "Élodie Lefèvre-Côté", "😀👩‍⚕️ emoji", "line one\nline two\r\n\tindented", "שלום\u200F עולם", "' OR 1=1 --"];
  const bidi = ["admin\u202Egnp.exe", "a\u202Ab", "a\u202Bb", "a\u202Cb", "a\u202Db", "\u2066x\u2069", "\u2067x", "\u2068x"];
  const controls = ["\u001b[2J\u001b[31mred", "bell\u0007", "back\u0008space", "vt\u000b", "ff\u000c", "del\u007f", "c1\u0085", "csi\u009b"];

  it("refuses bidirectional overrides/isolates and C0/C1 controls other than tab and line breaks; keeps scripts, accents, emoji, newlines", () => {
    for (const bad of [...bidi, ...controls, "a\u0000b"]) expect({ bad, ok: isSafeText(bad) }).toEqual({ bad, ok: false });
    for (const good of legit) expect({ good, ok: isSafeText(good) }).toEqual({ good, ok: true });
  });

  it("the request check refuses them in variables and in document literals", () => {
    expect(hasUnstorableText({ input: { name: "Ann\u202ELee" } })).toBe(true);
    expect(hasUnstorableText({ input: { notes: "\u001b]0;owned\u0007" } })).toBe(true);
    expect(hasUnstorableText({ input: { notes: "Bonjour,\nça va ? 안녕하세요 🙂" } })).toBe(false);
    expect(documentHasUnstorableText(parse('mutation { cancel(reason: "a\\u202Eb") }'))).toBe(true);
  });

  it("checkHumanText answers BAD_USER_INPUT on the field; single-line fields refuse line breaks and tabs", () => {
    const code = (fn: () => unknown) => {
      try {
        fn();
        return "ok";
      } catch (err) {
        return err instanceof DomainError ? `${err.code}:${err.field}` : "other";
      }
    };
    expect(code(() => checkHumanText("Ann\u202ELee", "input.name", { singleLine: true }))).toBe("BAD_USER_INPUT:input.name");
    expect(code(() => checkHumanText("x\u001b[0m", "input.bio"))).toBe("BAD_USER_INPUT:input.bio");
    expect(code(() => checkHumanText("two\nlines", "input.name", { singleLine: true }))).toBe("BAD_USER_INPUT:input.name");
    expect(code(() => checkHumanText("two\nlines", "input.bio"))).toBe("ok");
    for (const good of legit.filter((t) => !/[\n\t]/.test(t)))
      expect({ good, r: code(() => checkHumanText(good, "input.name", { singleLine: true })) }).toEqual({ good, r: "ok" });
  });
});
