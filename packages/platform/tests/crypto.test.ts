import { describe, expect, it } from "@jest/globals";
import { createFieldCipher, fieldCipherFromEnv, keyIdOf, parseKeyRing } from "../src/crypto.js";
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

  it("from env: needs the blind index key, unless the service only seals values (scheduling)", () => {
    const env = { CLINIGRAPH_DATA_KEYS: `k1:${k1.toString("base64")},k2:${k2.toString("base64")}` };
    expect(() => fieldCipherFromEnv(env)).toThrow(ConfigError);
    const sealer = fieldCipherFromEnv(env, { blindIndex: false });
    expect(sealer.activeKeyId).toBe("k2");
    expect(sealer.decrypt(sealer.encrypt("Chest pain"))).toBe("Chest pain");
    expect(() => sealer.blindIndex("a@b.test")).toThrow("no blind index key");
    const full = fieldCipherFromEnv({ ...env, CLINIGRAPH_DATA_KEY_ACTIVE: "k1", CLINIGRAPH_BLIND_INDEX_KEY: blindIndexKey.toString("base64") });
    expect(keyIdOf(full.encrypt("x"))).toBe("k1");
    expect(full.decrypt(sealer.encrypt("same keys"))).toBe("same keys");
  });
});
