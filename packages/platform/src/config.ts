/**
 * Configuration from the environment, read once at boot through a zod schema (ADR 15). Each process has one
 * config module (`src/config.ts`) that declares every variable it reads with `readEnv({ NAME: v.int(...), … }, env)`;
 * nothing else reads the environment. A missing or malformed value fails the boot with a ConfigError that names the
 * variable. An empty value counts as unset (except where a variable documents "empty: off").
 *
 * Ports and addresses: the router listens on CLINIGRAPH_PORT_BASE (default 4000) and each subgraph on the base plus
 * its offset (accounts +1 … notifications +7) unless `<SERVICE>_PORT` says otherwise; a service reaches another at
 * `<SERVICE>_URL`, else at `http://127.0.0.1:<that service's port>/graphql`. One CLINIGRAPH_PORT_BASE moves a stack.
 */
import { z } from "zod";
import { DEFAULT_PORTS, type ServiceName } from "./ports.js";
import { parseKeyRing, type CipherKeys } from "./crypto.js";
import { isIanaTimeZone } from "./timeZones.js";

export class ConfigError extends Error {
  override name = "ConfigError";
}

export type Env = Record<string, string | undefined>;

const blankToUndefined = (value: unknown) => (value === "" ? undefined : value);

/** Builders of variable schemas: each takes the raw string (or undefined) and yields a typed value. */
export const v = {
  /** A string; `fallback` when unset. */
  string: (fallback?: string) => z.preprocess(blankToUndefined, fallback === undefined ? z.string() : z.string().default(fallback)),
  /** A string or undefined. */
  optional: () => z.preprocess(blankToUndefined, z.string().optional()),
  /** An integer in [min, max]; `fallback` when unset. */
  int: (fallback: number | undefined, range: { min?: number; max?: number } = {}) => {
    let schema = z.coerce.number({ error: "must be an integer" }).int({ error: "must be an integer" });
    if (range.min !== undefined) schema = schema.min(range.min, { error: `must be at least ${range.min}` });
    if (range.max !== undefined) schema = schema.max(range.max, { error: `must be at most ${range.max}` });
    return z.preprocess(blankToUndefined, fallback === undefined ? schema : schema.default(fallback));
  },
  /** A TCP port (0 = any free port). */
  port: (fallback?: number) => v.int(fallback, { min: 0, max: 65_535 }),
  /** One of `values`. */
  oneOf: <const T extends readonly [string, ...string[]]>(values: T, fallback?: T[number]) => {
    const schema = z.enum(values, { error: `must be one of ${values.join(", ")}` });
    return z.preprocess(blankToUndefined, fallback === undefined ? schema : schema.default(fallback as never));
  },
  /** A comma-separated list (blanks dropped); `fallback` when unset. */
  list: (fallback?: string[]) =>
    z.preprocess(
      (value) =>
        typeof value === "string" && value.trim() !== ""
          ? value
              .split(",")
              .map((s) => s.trim())
              .filter(Boolean)
          : fallback,
      z.array(z.string(), { error: "is required (a comma-separated list)" }),
    ),
  /** An absolute URL with one of the given protocols (e.g. "http:", "https:"); `fallback` when unset. */
  url: (protocols: readonly string[], fallback?: string) => {
    const schema = z.string().refine(
      (value) => {
        try {
          return protocols.includes(new URL(value).protocol);
        } catch {
          return false;
        }
      },
      { error: `must be a URL (${protocols.map((p) => p.replace(":", "://")).join(" or ")})` },
    );
    return z.preprocess(blankToUndefined, fallback === undefined ? schema : schema.default(fallback));
  },
  /** An optional URL with one of the given protocols. */
  optionalUrl: (protocols: readonly string[]) => v.url(protocols).optional(),
  /** An IANA time zone name known to the runtime, e.g. Europe/Berlin (never an offset such as +02:00). */
  timeZone: (fallback: string) =>
    z.preprocess(blankToUndefined, z.string().refine(isIanaTimeZone, { error: "must be an IANA time zone, e.g. Europe/Berlin" }).default(fallback)),
};

/**
 * Reads the variables named by `shape`'s keys from `env` and validates them; throws ConfigError naming the first
 * variable at fault (`LOGIN_MAX_FAILURES must be at least 1 (got "0")`).
 */
export function readEnv<S extends z.ZodRawShape>(shape: S, env: Env): z.output<z.ZodObject<S>> {
  const input = Object.fromEntries(Object.keys(shape).map((name) => [name, env[name]]));
  const result = z.object(shape).safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const name = String(issue.path[0] ?? "");
  const raw = env[name];
  const message = issue.code === "invalid_type" && (raw === undefined || raw === "") ? "is required" : issue.message;
  throw new ConfigError(`${name} ${message}${raw !== undefined && raw !== "" ? ` (got "${raw}")` : ""}`);
}

/** Throws ConfigError for a rule across variables (`HTTP_HEADERS_TIMEOUT_MS must not exceed HTTP_REQUEST_TIMEOUT_MS`). */
export function configCheck(ok: boolean, message: string): void {
  if (!ok) throw new ConfigError(message);
}

const envName = (service: ServiceName) => service.toUpperCase();

/** The port `service` listens on: `<SERVICE>_PORT`, else CLINIGRAPH_PORT_BASE plus its offset. */
export function servicePort(service: ServiceName, env: Env): number {
  const { CLINIGRAPH_PORT_BASE: base } = readEnv({ CLINIGRAPH_PORT_BASE: v.int(DEFAULT_PORTS.router, { min: 1, max: 65_000 }) }, env);
  const name = `${envName(service)}_PORT`;
  return readEnv({ [name]: v.port(base + DEFAULT_PORTS[service] - DEFAULT_PORTS.router) }, env)[name] as number;
}

/** Where `service`'s GraphQL endpoint is: `<SERVICE>_URL`, else http://127.0.0.1:<its port>/graphql. */
export function serviceUrl(service: ServiceName, env: Env): string {
  const name = `${envName(service)}_URL`;
  return readEnv({ [name]: v.url(["http:", "https:"], `http://127.0.0.1:${servicePort(service, env)}/graphql`) }, env)[name] as string;
}

/** Like serviceUrl, but an empty `<SERVICE>_URL` (set to "") turns the link off: null. */
export function optionalServiceUrl(service: ServiceName, env: Env): string | null {
  return env[`${envName(service)}_URL`] === "" ? null : serviceUrl(service, env);
}

/** What every subgraph process reads (besides its own variables). */
export interface SubgraphBaseConfig {
  databaseUrl: string;
  /** DATABASE_POOL_SIZE: connections this process may hold; unset: the subgraph's own default. */
  databasePoolSize: number | undefined;
  /** CLINIGRAPH_ROUTER_SECRETS: shared with the router; the first signs, all verify. */
  routerSecrets: string[];
  /** `<SERVICE>_HOST`, else HOST, else 127.0.0.1. */
  host: string;
  port: number;
  logLevel: string;
  /** NODE_ENV=development: internal error messages reach the caller. */
  exposeInternalErrors: boolean;
  /** REDIS_URL: events and live feeds over Redis; unset: in this process. */
  redisUrl: string | undefined;
  /** EVENTS_NAMESPACE: prefix of every Redis key and stream (deployments or test runs sharing one Redis). */
  namespace: string;
  /**
   * How long the event machinery keeps what it no longer needs (ADR 26): published outbox rows
   * (EVENTS_OUTBOX_RETENTION_HOURS, 168), stream entries every consumer group has handled (EVENTS_STREAM_RETENTION_HOURS,
   * 168), processed-event ids (EVENTS_PROCESSED_RETENTION_HOURS, 720: longer than the streams'), and the time between
   * two housekeeping rounds (EVENTS_HOUSEKEEPING_MINUTES, 15; 0: none).
   */
  eventRetention: { outboxMs: number; streamMs: number; processedMs: number; intervalMs: number };
  /**
   * EVENT_CONSUMERS=on|off (default on): whether this process runs the subgraph's event consumers. A deployment runs
   * its API replicas with `off` and the consumers in one process of their own, since each consumer group keeps
   * per-subject order only with a single consumer (docs/adr/0008, docs/adr/0023).
   */
  eventConsumers: boolean;
}

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

/** LOG_LEVEL (default info; silent under NODE_ENV=test) and NODE_ENV. */
export function readRuntime(env: Env): { logLevel: string; nodeEnv: string | undefined } {
  const { NODE_ENV } = readEnv({ NODE_ENV: v.optional() }, env);
  const { LOG_LEVEL } = readEnv({ LOG_LEVEL: v.oneOf(LOG_LEVELS, NODE_ENV === "test" ? "silent" : "info") }, env);
  return { logLevel: LOG_LEVEL, nodeEnv: NODE_ENV };
}

/** The level of a logger made without one: this process's LOG_LEVEL (see readRuntime). */
export const defaultLogLevel = () => readRuntime(process.env).logLevel;

export function readSubgraphBase(service: ServiceName, env: Env): SubgraphBaseConfig {
  const hostName = `${envName(service)}_HOST`;
  const vars = readEnv(
    {
      DATABASE_URL: v.url(["postgresql:", "postgres:"]),
      DATABASE_POOL_SIZE: v.int(undefined, { min: 1, max: 500 }).optional(),
      CLINIGRAPH_ROUTER_SECRETS: v.list(),
      HOST: v.string("127.0.0.1"),
      [hostName]: v.optional(),
      REDIS_URL: v.optionalUrl(["redis:", "rediss:"]),
      EVENTS_NAMESPACE: v.string(""),
      EVENTS_OUTBOX_RETENTION_HOURS: v.int(168, { min: 1, max: 87_600 }),
      EVENTS_STREAM_RETENTION_HOURS: v.int(168, { min: 1, max: 87_600 }),
      EVENTS_PROCESSED_RETENTION_HOURS: v.int(720, { min: 1, max: 87_600 }),
      EVENTS_HOUSEKEEPING_MINUTES: v.int(15, { min: 0, max: 1440 }),
      EVENT_CONSUMERS: v.oneOf(["on", "off"] as const, "on"),
    },
    env,
  );
  configCheck(
    (vars.EVENTS_PROCESSED_RETENTION_HOURS as number) > (vars.EVENTS_STREAM_RETENTION_HOURS as number),
    "EVENTS_PROCESSED_RETENTION_HOURS must exceed EVENTS_STREAM_RETENTION_HOURS (a redelivered event must still be recognised)",
  );
  const routerSecrets = vars.CLINIGRAPH_ROUTER_SECRETS as string[];
  configCheck(routerSecrets.length > 0, "CLINIGRAPH_ROUTER_SECRETS holds no secret");
  const { logLevel, nodeEnv } = readRuntime(env);
  return {
    databaseUrl: vars.DATABASE_URL as string,
    databasePoolSize: vars.DATABASE_POOL_SIZE as number | undefined,
    routerSecrets,
    host: (vars[hostName] as string | undefined) ?? (vars.HOST as string),
    port: servicePort(service, env),
    logLevel,
    exposeInternalErrors: nodeEnv === "development",
    redisUrl: vars.REDIS_URL as string | undefined,
    namespace: vars.EVENTS_NAMESPACE as string,
    eventRetention: {
      outboxMs: (vars.EVENTS_OUTBOX_RETENTION_HOURS as number) * HOUR_MS,
      streamMs: (vars.EVENTS_STREAM_RETENTION_HOURS as number) * HOUR_MS,
      processedMs: (vars.EVENTS_PROCESSED_RETENTION_HOURS as number) * HOUR_MS,
      intervalMs: (vars.EVENTS_HOUSEKEEPING_MINUTES as number) * 60_000,
    },
    eventConsumers: vars.EVENT_CONSUMERS !== "off",
  };
}

const HOUR_MS = 3_600_000;

/**
 * The data keys sealing PHI at rest: CLINIGRAPH_DATA_KEYS ("kid:base64,…"), CLINIGRAPH_DATA_KEY_ACTIVE (default: the
 * last key listed) and CLINIGRAPH_BLIND_INDEX_KEY (base64, ≥ 32 bytes). `blindIndex: false` for a service that never
 * looks values up (it then needs no blind index key, and is given none).
 */
export function readCipherKeys(env: Env, options: { blindIndex?: boolean } = {}): CipherKeys {
  const vars = readEnv({ CLINIGRAPH_DATA_KEYS: v.string(), CLINIGRAPH_DATA_KEY_ACTIVE: v.optional() }, env);
  const keys = parseKeyRing(vars.CLINIGRAPH_DATA_KEYS);
  const activeKeyId = vars.CLINIGRAPH_DATA_KEY_ACTIVE ?? Object.keys(keys).at(-1)!;
  if (options.blindIndex === false) return { keys, activeKeyId };
  const { CLINIGRAPH_BLIND_INDEX_KEY } = readEnv({ CLINIGRAPH_BLIND_INDEX_KEY: v.string() }, env);
  return { keys, activeKeyId, blindIndexKey: Buffer.from(CLINIGRAPH_BLIND_INDEX_KEY, "base64") };
}
