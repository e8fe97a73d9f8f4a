/**
 * Typed environment getters: config is read and validated once at boot, and a missing or malformed
 * variable fails fast with a message that names it.
 */
export class ConfigError extends Error {
  override name = "ConfigError";
}

type Env = Record<string, string | undefined>;

export function envString(name: string, fallback?: string, env: Env = process.env): string {
  const value = env[name];
  if (value !== undefined && value !== "") return value;
  if (fallback !== undefined) return fallback;
  throw new ConfigError(`Missing environment variable ${name}`);
}

export function envOptional(name: string, env: Env = process.env): string | undefined {
  const value = env[name];
  return value === undefined || value === "" ? undefined : value;
}

export function envInt(name: string, fallback?: number, env: Env = process.env): number {
  const raw = env[name];
  if (raw === undefined || raw === "") {
    if (fallback !== undefined) return fallback;
    throw new ConfigError(`Missing environment variable ${name}`);
  }
  const value = Number(raw);
  if (!Number.isInteger(value)) throw new ConfigError(`Environment variable ${name} must be an integer, got "${raw}"`);
  return value;
}

export function envList(name: string, fallback?: string[], env: Env = process.env): string[] {
  const raw = envOptional(name, env);
  if (raw === undefined) {
    if (fallback !== undefined) return fallback;
    throw new ConfigError(`Missing environment variable ${name}`);
  }
  return raw
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}

export const isProduction = (env: Env = process.env) => env.NODE_ENV === "production";
export const isDevelopment = (env: Env = process.env) => env.NODE_ENV === "development";
