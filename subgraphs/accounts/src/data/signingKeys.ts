/**
 * Ed25519 keys that sign access tokens. The private key is stored sealed with the data key, so every
 * accounts replica signs with the same key and tokens survive restarts. All active keys are published
 * in the JWKS; the newest signs (rotation: add a key, wait one token lifetime, deactivate the old one).
 */
import { randomUUID } from "node:crypto";
import { exportJWK, exportPKCS8, generateKeyPair, importPKCS8, type JWK } from "jose";
import type { FieldCipher } from "@clinigraph/platform";
import type { PrismaClient } from "./prisma.js";

export const ACCESS_TOKEN_ALG = "EdDSA";

export interface SigningKeySet {
  kid: string;
  privateKey: CryptoKey;
  jwks: { keys: JWK[] };
}

export async function loadOrCreateSigningKeys(db: PrismaClient, cipher: FieldCipher): Promise<SigningKeySet> {
  let rows = await db.signingKey.findMany({ where: { active: true }, orderBy: { createdAt: "asc" } });
  if (rows.length === 0) {
    const { publicKey, privateKey } = await generateKeyPair(ACCESS_TOKEN_ALG, { crv: "Ed25519", extractable: true });
    const kid = randomUUID();
    const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: ACCESS_TOKEN_ALG, use: "sig" };
    // Two replicas starting together may both get here: both keys are then published and either may sign.
    await db.signingKey.create({ data: { kid, alg: ACCESS_TOKEN_ALG, publicJwk, privateKeyEnc: cipher.encrypt(await exportPKCS8(privateKey)) } });
    rows = await db.signingKey.findMany({ where: { active: true }, orderBy: { createdAt: "asc" } });
  }
  const newest = rows.at(-1)!;
  return {
    kid: newest.kid,
    privateKey: await importPKCS8(cipher.decrypt(newest.privateKeyEnc), ACCESS_TOKEN_ALG),
    jwks: { keys: rows.map((row) => row.publicJwk as JWK) },
  };
}
