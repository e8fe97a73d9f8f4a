/**
 * Secrets for a local run without configuration: generated once into .clinigraph/secrets.json
 * (git-ignored, mode 0600) and reused, so tokens and encrypted data survive restarts. Variables set in
 * the environment always win. Production supplies all of them through its secret store.
 */
import { createECDH, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

export interface DevSecrets {
  CLINIGRAPH_ROUTER_SECRETS: string;
  CLINIGRAPH_DATA_KEYS: string;
  CLINIGRAPH_BLIND_INDEX_KEY: string;
  /** Web push (VAPID) keys of notifications: a P-256 key pair, base64url. */
  VAPID_PUBLIC_KEY: string;
  VAPID_PRIVATE_KEY: string;
  VAPID_SUBJECT: string;
}

function vapidKeys(): Pick<DevSecrets, "VAPID_PUBLIC_KEY" | "VAPID_PRIVATE_KEY"> {
  const ecdh = createECDH("prime256v1");
  ecdh.generateKeys();
  return { VAPID_PUBLIC_KEY: ecdh.getPublicKey().toString("base64url"), VAPID_PRIVATE_KEY: ecdh.getPrivateKey().toString("base64url") };
}

export function ensureDevSecrets(stateDir: string, env: Record<string, string | undefined>): DevSecrets {
  const file = path.join(stateDir, "secrets.json");
  let stored: Partial<DevSecrets> = {};
  if (existsSync(file)) stored = JSON.parse(readFileSync(file, "utf8")) as Partial<DevSecrets>;
  const secrets: DevSecrets = {
    CLINIGRAPH_ROUTER_SECRETS: stored.CLINIGRAPH_ROUTER_SECRETS ?? randomBytes(32).toString("base64url"),
    CLINIGRAPH_DATA_KEYS: stored.CLINIGRAPH_DATA_KEYS ?? `dev1:${randomBytes(32).toString("base64")}`,
    CLINIGRAPH_BLIND_INDEX_KEY: stored.CLINIGRAPH_BLIND_INDEX_KEY ?? randomBytes(32).toString("base64"),
    ...(stored.VAPID_PUBLIC_KEY && stored.VAPID_PRIVATE_KEY
      ? { VAPID_PUBLIC_KEY: stored.VAPID_PUBLIC_KEY, VAPID_PRIVATE_KEY: stored.VAPID_PRIVATE_KEY }
      : vapidKeys()),
    VAPID_SUBJECT: stored.VAPID_SUBJECT ?? "mailto:admin@clinigraph.demo",
  };
  // Written when new, and again when an older file lacks a secret added since (kept ones are never replaced).
  if (!existsSync(file) || Object.keys(secrets).some((name) => !(name in stored))) {
    mkdirSync(stateDir, { recursive: true });
    writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  }
  return {
    CLINIGRAPH_ROUTER_SECRETS: env.CLINIGRAPH_ROUTER_SECRETS || secrets.CLINIGRAPH_ROUTER_SECRETS,
    CLINIGRAPH_DATA_KEYS: env.CLINIGRAPH_DATA_KEYS || secrets.CLINIGRAPH_DATA_KEYS,
    CLINIGRAPH_BLIND_INDEX_KEY: env.CLINIGRAPH_BLIND_INDEX_KEY || secrets.CLINIGRAPH_BLIND_INDEX_KEY,
    // The three VAPID settings go together: any one set in the environment means the environment gives them all.
    ...(env.VAPID_PUBLIC_KEY || env.VAPID_PRIVATE_KEY || env.VAPID_SUBJECT
      ? { VAPID_PUBLIC_KEY: env.VAPID_PUBLIC_KEY ?? "", VAPID_PRIVATE_KEY: env.VAPID_PRIVATE_KEY ?? "", VAPID_SUBJECT: env.VAPID_SUBJECT ?? "" }
      : { VAPID_PUBLIC_KEY: secrets.VAPID_PUBLIC_KEY, VAPID_PRIVATE_KEY: secrets.VAPID_PRIVATE_KEY, VAPID_SUBJECT: secrets.VAPID_SUBJECT }),
  };
}
