/**
 * Secrets for a local run without configuration: generated once into .clinigraph/secrets.json
 * (git-ignored, mode 0600) and reused, so tokens and encrypted data survive restarts. Variables set in
 * the environment always win. Production supplies all of them through its secret store.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

export interface DevSecrets {
  CLINIGRAPH_ROUTER_SECRETS: string;
  CLINIGRAPH_DATA_KEYS: string;
  CLINIGRAPH_BLIND_INDEX_KEY: string;
}

export function ensureDevSecrets(stateDir: string, env: Record<string, string | undefined>): DevSecrets {
  const file = path.join(stateDir, "secrets.json");
  let stored: Partial<DevSecrets> = {};
  if (existsSync(file)) stored = JSON.parse(readFileSync(file, "utf8")) as Partial<DevSecrets>;
  const secrets: DevSecrets = {
    CLINIGRAPH_ROUTER_SECRETS: stored.CLINIGRAPH_ROUTER_SECRETS ?? randomBytes(32).toString("base64url"),
    CLINIGRAPH_DATA_KEYS: stored.CLINIGRAPH_DATA_KEYS ?? `dev1:${randomBytes(32).toString("base64")}`,
    CLINIGRAPH_BLIND_INDEX_KEY: stored.CLINIGRAPH_BLIND_INDEX_KEY ?? randomBytes(32).toString("base64"),
  };
  if (!existsSync(file)) {
    mkdirSync(stateDir, { recursive: true });
    writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  }
  return {
    CLINIGRAPH_ROUTER_SECRETS: env.CLINIGRAPH_ROUTER_SECRETS || secrets.CLINIGRAPH_ROUTER_SECRETS,
    CLINIGRAPH_DATA_KEYS: env.CLINIGRAPH_DATA_KEYS || secrets.CLINIGRAPH_DATA_KEYS,
    CLINIGRAPH_BLIND_INDEX_KEY: env.CLINIGRAPH_BLIND_INDEX_KEY || secrets.CLINIGRAPH_BLIND_INDEX_KEY,
  };
}
