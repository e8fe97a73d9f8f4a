/**
 * Application-level encryption of PHI at rest: AES-256-GCM, one random 96-bit IV per value, the key id
 * stored inside the value so keys rotate (old values stay readable while any key they name is configured).
 * Format: `v1.<kid>.<iv>.<tag>.<ciphertext>` (base64url parts).
 *
 * Blind index: HMAC-SHA256 of a normalised value under a separate key, for uniqueness and exact lookup
 * (e-mail, phone) without storing the value in clear.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from "node:crypto";
import { ConfigError, readCipherKeys } from "./config.js";

export interface FieldCipher {
  encrypt(plain: string): string;
  decrypt(sealed: string): string;
  blindIndex(value: string): string;
  /** Key id new values are encrypted with. */
  readonly activeKeyId: string;
}

export interface CipherKeys {
  /** key id → 32-byte key */
  keys: Record<string, Buffer>;
  activeKeyId: string;
  /** Omitted by services that only seal values (scheduling): `blindIndex` then throws. */
  blindIndexKey?: Buffer;
}

/** Parses `kid1:base64key,kid2:base64key`. */
export function parseKeyRing(spec: string, variable = "CLINIGRAPH_DATA_KEYS"): Record<string, Buffer> {
  const keys: Record<string, Buffer> = {};
  for (const part of spec
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [kid, b64] = part.split(":");
    if (!kid || !b64 || !/^[A-Za-z0-9_-]+$/.test(kid)) throw new ConfigError(`${variable}: expected "kid:base64key", got an entry without a key id`);
    const key = Buffer.from(b64, "base64");
    if (key.length !== 32) throw new ConfigError(`${variable}: key "${kid}" must be 32 bytes (base64), got ${key.length}`);
    keys[kid] = key;
  }
  if (Object.keys(keys).length === 0) throw new ConfigError(`${variable} holds no key`);
  return keys;
}

export function createFieldCipher({ keys, activeKeyId, blindIndexKey }: CipherKeys): FieldCipher {
  const active = keys[activeKeyId];
  if (!active) throw new ConfigError(`Active data key "${activeKeyId}" is not in the key ring`);
  if (blindIndexKey && blindIndexKey.length < 32) throw new ConfigError("The blind index key must be at least 32 bytes");
  return {
    activeKeyId,
    encrypt(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", active, iv);
      const ct = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
      return ["v1", activeKeyId, iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), ct.toString("base64url")].join(".");
    },
    decrypt(sealed) {
      const [version, kid, iv, tag, ct] = sealed.split(".");
      if (version !== "v1" || !kid || iv === undefined || tag === undefined || ct === undefined) throw new Error("Malformed encrypted value");
      const key = keys[kid];
      if (!key) throw new Error(`Data key "${kid}" is not configured`);
      const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
      decipher.setAuthTag(Buffer.from(tag, "base64url"));
      return Buffer.concat([decipher.update(Buffer.from(ct, "base64url")), decipher.final()]).toString("utf8");
    },
    blindIndex(value) {
      if (!blindIndexKey) throw new Error("This cipher has no blind index key");
      return createHmac("sha256", blindIndexKey).update(value).digest("base64url");
    },
  };
}

/** Key id of a sealed value (for rotation: re-encrypt the ones not under the active key). */
export const keyIdOf = (sealed: string) => sealed.split(".")[1];

export const generateKey = () => randomBytes(32).toString("base64");

/** The cipher from the data keys of a config module (readCipherKeys). */
export function fieldCipherFromEnv(env: Record<string, string | undefined>, options: { blindIndex?: boolean } = {}): FieldCipher {
  return createFieldCipher(readCipherKeys(env, options));
}

/** Seals an optional value (null and undefined stay null): for nullable `*_enc` columns. */
export const sealOptional = (cipher: Pick<FieldCipher, "encrypt">, plain: string | null | undefined): string | null =>
  plain === null || plain === undefined ? null : cipher.encrypt(plain);

/** Opens an optional sealed value (null stays null). */
export const unsealOptional = (cipher: Pick<FieldCipher, "decrypt">, sealed: string | null): string | null => (sealed === null ? null : cipher.decrypt(sealed));
