import { describe, expect, it } from "@jest/globals";
import { createFieldCipher, keyIdOf, parseKeyRing } from "../src/crypto.js";
import { ConfigError } from "../src/config.js";

const k1 = Buffer.alloc(32, 1);
const k2 = Buffer.alloc(32, 2);
const blindIndexKey = Buffer.alloc(32, 3);

describe("field cipher", () => {
  it("round-trips and never stores the clear text", () => {
    const cipher = createFieldCipher({ keys: { k1 }, activeKeyId: "k1", blindIndexKey });
    const sealed = cipher.encrypt("+49 30 1234567");
    expect(sealed).not.toContain("1234567");
    expect(cipher.decrypt(sealed)).toBe("+49 30 1234567");
    expect(cipher.encrypt("same")).not.toBe(cipher.encrypt("same")); // fresh IV each time
  });

  it("reads values sealed under an older key after rotation", () => {
    const old = createFieldCipher({ keys: { k1 }, activeKeyId: "k1", blindIndexKey });
    const sealed = old.encrypt("a@b.test");
    const rotated = createFieldCipher({ keys: { k1, k2 }, activeKeyId: "k2", blindIndexKey });
    expect(rotated.decrypt(sealed)).toBe("a@b.test");
    expect(keyIdOf(rotated.encrypt("x"))).toBe("k2");
  });

  it("rejects tampered ciphertext", () => {
    const cipher = createFieldCipher({ keys: { k1 }, activeKeyId: "k1", blindIndexKey });
    const parts = cipher.encrypt("hello").split(".");
    parts[4] = Buffer.from("jello").toString("base64url");
    expect(() => cipher.decrypt(parts.join("."))).toThrow();
  });

  it("gives a stable blind index", () => {
    const cipher = createFieldCipher({ keys: { k1 }, activeKeyId: "k1", blindIndexKey });
    expect(cipher.blindIndex("a@b.test")).toBe(cipher.blindIndex("a@b.test"));
    expect(cipher.blindIndex("a@b.test")).not.toBe(cipher.blindIndex("c@b.test"));
  });

  it("validates the key ring", () => {
    expect(() => parseKeyRing("k1:" + Buffer.alloc(16).toString("base64"))).toThrow(ConfigError);
    expect(() => parseKeyRing("")).toThrow(ConfigError);
    expect(Object.keys(parseKeyRing(`a:${k1.toString("base64")},b:${k2.toString("base64")}`))).toEqual(["a", "b"]);
  });
});
