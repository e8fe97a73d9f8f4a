import { describe, expect, it } from "@jest/globals";
import { parse } from "graphql";
import { documentHasUnstorableText, hasUnstorableText, isStorableText } from "../src/storableText.js";

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
