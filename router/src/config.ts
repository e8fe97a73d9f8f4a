/**
 * Router configuration from the environment (and optional command-line flags), validated once at
 * boot; a missing or malformed variable fails fast with a message that names it.
 *
 *   --supergraph <file> | SUPERGRAPH_PATH   default <repo>/schema/supergraph.graphql
 *   --port <n>          | ROUTER_PORT        default 4000
 *   --host <h>          | ROUTER_HOST        default 127.0.0.1
 *   ACCOUNTS_JWKS_URL                        default http://127.0.0.1:4001/.well-known/jwks.json
 *   CLINIGRAPH_ROUTER_SECRETS                required, comma-separated (first signs, all verify)
 *   <NAME>_URL                               subgraph URL override, e.g. ACCOUNTS_URL, DOCTORS_URL
 *   SUBGRAPH_TIMEOUT_MS                      default 30000
 *   NODE_ENV=development                     exposes internal error messages and stack traces
 */
import path from "node:path";
import { ConfigError, DEFAULT_PORTS, REPO_ROOT, envInt, envList, envString, isDevelopment } from "@clinigraph/platform";

type Env = Record<string, string | undefined>;

export interface RouterConfig {
  port: number;
  host: string;
  supergraphPath: string;
  jwksUrl: string;
  routerSecrets: string[];
  /** Subgraph URL overrides keyed by lower-case subgraph name (from `<NAME>_URL`). */
  subgraphUrls: Record<string, string>;
  subgraphTimeoutMs: number;
  exposeInternalErrors: boolean;
  /** CORS_ORIGINS: comma-separated browser origins allowed to call the router. */
  corsOrigins: string[];
}

/** Variables ending in `_URL` that are not subgraph overrides. */
const NOT_SUBGRAPHS = new Set(["ACCOUNTS_JWKS_URL"]);

export function loadRouterConfig(env: Env = process.env, argv: readonly string[] = []): RouterConfig {
  const flags = parseFlags(argv);
  const portFlag = flags.port;
  if (portFlag !== undefined && !/^\d+$/.test(portFlag)) throw new ConfigError(`--port must be an integer, got "${portFlag}"`);
  const port = portFlag !== undefined ? Number(portFlag) : envInt("ROUTER_PORT", DEFAULT_PORTS.router, env);
  if (port < 0 || port > 65535) throw new ConfigError(`Router port must be between 0 and 65535, got ${port}`);
  const jwksUrl = envString("ACCOUNTS_JWKS_URL", `http://127.0.0.1:${DEFAULT_PORTS.accounts}/.well-known/jwks.json`, env);
  assertHttpUrl("ACCOUNTS_JWKS_URL", jwksUrl);
  const routerSecrets = envList("CLINIGRAPH_ROUTER_SECRETS", undefined, env);
  if (routerSecrets.length === 0) throw new ConfigError("CLINIGRAPH_ROUTER_SECRETS holds no secret");
  if (routerSecrets.some((s) => s.length < 32)) throw new ConfigError("CLINIGRAPH_ROUTER_SECRETS: every secret must be at least 32 characters");
  return {
    port,
    host: flags.host ?? envString("ROUTER_HOST", "127.0.0.1", env),
    supergraphPath: path.resolve(flags.supergraph ?? envString("SUPERGRAPH_PATH", path.join(REPO_ROOT, "schema", "supergraph.graphql"), env)),
    jwksUrl,
    routerSecrets,
    subgraphUrls: subgraphUrlOverrides(env),
    subgraphTimeoutMs: envInt("SUBGRAPH_TIMEOUT_MS", 30_000, env),
    exposeInternalErrors: isDevelopment(env),
    corsOrigins: envList("CORS_ORIGINS", [], env),
  };
}

/** Every `<NAME>_URL` holding an http(s) URL (DATABASE_URL, REDIS_URL… are not http and are skipped). */
export function subgraphUrlOverrides(env: Env): Record<string, string> {
  const overrides: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    const match = /^([A-Z][A-Z0-9_]*)_URL$/.exec(key);
    if (!match?.[1] || NOT_SUBGRAPHS.has(key) || !value || !/^https?:\/\//.test(value)) continue;
    assertHttpUrl(key, value);
    overrides[match[1].toLowerCase()] = value;
  }
  return overrides;
}

function parseFlags(argv: readonly string[]): Partial<Record<"supergraph" | "port" | "host", string>> {
  const flags: Partial<Record<"supergraph" | "port" | "host", string>> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    const [name, inline] = arg.startsWith("--") ? arg.slice(2).split("=", 2) : [undefined, undefined];
    if (name !== "supergraph" && name !== "port" && name !== "host")
      throw new ConfigError(`Unknown argument "${arg}" (expected --supergraph <file>, --port <n>, --host <h>)`);
    const value = inline ?? argv[++i];
    if (value === undefined || value === "") throw new ConfigError(`--${name} needs a value`);
    flags[name] = value;
  }
  return flags;
}

function assertHttpUrl(name: string, value: string) {
  try {
    const url = new URL(value);
    if (url.protocol === "http:" || url.protocol === "https:") return;
  } catch {
    /* fall through */
  }
  throw new ConfigError(`${name} must be an http(s) URL, got "${value}"`);
}
