/**
 * The whole platform as a deployment runs it, for benchmarks: one child process per service (`serviceProcess.ts`),
 * every subgraph of `scripts/lib/subgraphs.ts` in its order, then the router — or `routers` router processes, as
 * replicas behind a load balancer would run — each started and ready (its `/ready` answers 200) before the next. So
 * each service has its own event loop, the machine's cores are shared among them, and a benchmark can ask each
 * process for its CPU time, event-loop utilisation and peak RSS over a phase (`mark()` / `usage()`) and for its
 * memory now (`memory(gc)`).
 *
 * The environment is the end-to-end test stack's (tests/support/stack.ts): a fresh database (`createTestDatabase`,
 * every subgraph's migrations), the test secrets and keys with its 4 database connections per subgraph (`testEnv`),
 * an admin account, registration without e-mail codes and without a per-address limit, events and live feeds on the
 * real Redis namespaced by the database's name, no logs. Unlike the test stack it runs with NODE_ENV=production (in
 * every child's own environment too: graphql-js and others decide their checks when they load), a random analytics
 * pseudonym key (production requires one), and on real ports: a free CLINIGRAPH_PORT_BASE, from which every service
 * derives its own port and its neighbours' URLs (platform `servicePort`/`serviceUrl`), as under `pnpm start`.
 * `env` adds to or overrides any of it. With several routers, the first listens on the base as usual and each other
 * one on a port of its own above the subgraphs' (its ROUTER_PORT, its only difference): the same subgraph URLs,
 * secrets and Redis namespace, so they share rate-limit counters and the APQ cache as replicas do.
 *
 * `stop()` stops the children (routers first; SIGKILL after 15 s), removes the namespace's Redis keys and drops the
 * database. It may be called at any time, also while the stack is starting (the start then fails); a start that fails
 * cleans up by itself. The caller runs it on Ctrl-C and errors (bench/lib/launcher.ts does); should the caller die
 * instead, the children exit when their IPC channel closes, and only the database is left behind.
 */
import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import { createClient } from "redis";
import { DEFAULT_PORTS, servicePort, type ServiceName } from "@clinigraph/platform";
import { createTestDatabase, freePortBlock, testEnv, uniqueEmail, type TestDatabase } from "@clinigraph/testing";
import { createPrisma } from "@clinigraph/scheduling";
import { SUBGRAPHS } from "../../scripts/lib/subgraphs.js";
import { forkChild, memorySample, usageMeter, type Child, type MemorySample, type ProcessUsage } from "./children.js";
import { cpuProfiler } from "./cpuProfile.js";

/** A process a benchmark measures: a service's child, or the benchmark's own process (`thisProcess`). */
export interface MeasuredProcess {
  readonly name: string;
  readonly pid: number;
  /**
   * router, subgraph: a service of the platform; client: the load generator; all: the whole platform and the client in
   * one process; database: the PostgreSQL server's processes (databaseProcesses.ts).
   */
  readonly role: "router" | "subgraph" | "client" | "all" | "database";
  /** Restarts the process's CPU clock, event-loop utilisation and peak RSS. */
  mark(): Promise<void>;
  /** CPU time, event-loop utilisation and peak RSS since the mark. */
  usage(): Promise<ProcessUsage>;
  /** RSS and heap now; `gc`: after a full garbage collection. */
  memory(gc?: boolean): Promise<MemorySample>;
  profileStart(): Promise<void>;
  /** Writes the CPU profile taken since `profileStart` to `file`; answers the file. */
  profileStop(file: string): Promise<string>;
}

export interface ServiceProcess extends MeasuredProcess {
  readonly role: "router" | "subgraph";
  /** Its GraphQL endpoint. */
  readonly url: string;
}

export interface ProcessStack {
  /** The (first) router's GraphQL endpoint: `routerUrls[0]`. */
  routerUrl: string;
  /** Every router process's GraphQL endpoint, in start order. */
  routerUrls: readonly string[];
  databaseUrl: string;
  admin: { email: string; password: string };
  /** CLINIGRAPH_PORT_BASE: the (first) router's port; the subgraphs' are above it, then the other routers'. */
  portBase: number;
  /** The environment every service was started with (the routers after the first: with their own ROUTER_PORT too). */
  env: Readonly<Record<string, string>>;
  events: { redisUrl: string; namespace: string };
  /** The subgraphs in start order, then the routers. */
  services: readonly ServiceProcess[];
  /** The router processes, in start order (the last entries of `services`). */
  routers: readonly ServiceProcess[];
  /**
   * Resolves once every subgraph schema's outbox has no unpublished row and every consumer group on the namespace's
   * Redis streams has read everything (lag 0) and acknowledged it (no pending entry), the outboxes unchanged meanwhile
   * (a consumer that writes events in turn keeps it waiting); polled every 50 ms. Rejects after `timeoutMs`
   * (default 120 s) naming what is still unsettled.
   */
  eventsSettled(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export interface ProcessStackOptions {
  /** Added to (or overriding) every service's environment, e.g. ACCESS_TOKEN_TTL_SECONDS. */
  env?: Record<string, string>;
  /**
   * Router processes (default 1), each a child of its own on a port of its own (named router-1, router-2, … when
   * more than one; "router" otherwise).
   */
  routers?: number;
  /** Told of each service started (name, pid, URL, seconds). */
  log?: (line: string) => void;
}

const SERVICE_FILE = new URL("./serviceProcess.ts", import.meta.url);
const READY_TIMEOUT_MS = 60_000;
/** Ports above CLINIGRAPH_PORT_BASE the services take (the router is on the base itself). */
const PORT_SPAN = Math.max(...Object.values(DEFAULT_PORTS)) - DEFAULT_PORTS.router;
/** Router processes at most: their ports (base + PORT_SPAN + i) stay below the ephemeral range, 32768 up. */
const MAX_ROUTERS = 64;

/**
 * Starts the stack. `started` resolves when the (last) router is ready; `stop()` (any time, once) tears down whatever runs.
 */
export function startProcessStack(options: ProcessStackOptions = {}): { started: Promise<ProcessStack>; stop(): Promise<void> } {
  const log = options.log ?? (() => undefined);
  const routers = options.routers ?? 1;
  if (!Number.isInteger(routers) || routers < 1 || routers > MAX_ROUTERS)
    throw new Error(`routers must be an integer from 1 to ${MAX_ROUTERS}, got ${routers}`);
  const children: Child[] = [];
  let creatingDb: Promise<TestDatabase> | undefined;
  let namespace: string | undefined;
  let stopRequested = false;
  let stopping: Promise<void> | undefined;
  let prisma: ReturnType<typeof createPrisma> | undefined;
  let redis: ReturnType<typeof createClient> | undefined;
  const redisUrl = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      stopRequested = true;
      for (const child of [...children].reverse()) await child.stop(15_000).catch(() => child.kill());
      await prisma?.$disconnect().catch(() => undefined);
      if (namespace) {
        try {
          await removeRedisKeys(redis, redisUrl, namespace);
        } catch (err) {
          console.error(`removing the Redis keys ${namespace}* failed:`, err);
        }
      }
      if (redis?.isOpen) await redis.close().catch(() => undefined);
      const db = await creatingDb?.catch(() => undefined);
      if (db) {
        try {
          await db.drop();
        } catch (err) {
          console.error(`dropping database ${db.name} failed (drop it by hand):`, err);
        }
      }
    })());

  const checkNotStopped = () => {
    if (stopRequested) throw new Error("the process stack was stopped while starting");
  };

  /** Starts `service` (a subgraph's name or "router") in a child called `name`, on the port its `env` gives it. */
  async function startService(
    service: ServiceName,
    name: string,
    role: ServiceProcess["role"],
    env: Record<string, string>,
    startExport?: string,
  ): Promise<ServiceProcess> {
    checkNotStopped();
    const started = performance.now();
    // NODE_ENV in the process's own environment (libraries read it when they load), the service's in `start`.
    const child = await forkChild(name, SERVICE_FILE, { NODE_ENV: env.NODE_ENV ?? "production", LOG_LEVEL: env.LOG_LEVEL ?? "silent" });
    children.push(child);
    const { url } = await child.call<{ url: string }>("start", service, env, startExport);
    const expected = servicePort(service, env);
    if (Number(new URL(url).port) !== expected) throw new Error(`${name} listens at ${url}, not on port ${expected} as its neighbours expect`);
    await waitReady(name, url);
    log(`  ${name.padEnd(14)} pid ${String(child.pid).padEnd(8)} ${url}  (${((performance.now() - started) / 1000).toFixed(1)} s)`);
    return {
      name,
      pid: child.pid,
      role,
      url,
      mark: () => child.call<void>("mark"),
      usage: () => child.call<ProcessUsage>("usage"),
      memory: (gc = false) => child.call<MemorySample>("memory", gc),
      profileStart: () => child.call<void>("profileStart"),
      profileStop: (file) => child.call<string>("profileStop", file),
    };
  }

  async function start(): Promise<ProcessStack> {
    creatingDb = createTestDatabase();
    const db = await creatingDb;
    checkNotStopped();
    namespace = `${db.name}:`;
    const admin = { email: uniqueEmail("admin"), password: "Admin-password-1" };
    const portBase = await freePortBlock(PORT_SPAN + routers); // the base and the ports above it
    const env: Record<string, string> = {
      ...testEnv(db.url),
      NODE_ENV: "production",
      HOST: "127.0.0.1",
      ROUTER_HOST: "127.0.0.1",
      CLINIGRAPH_PORT_BASE: String(portBase),
      CLINIGRAPH_ADMIN_EMAIL: admin.email,
      CLINIGRAPH_ADMIN_PASSWORD: admin.password,
      LOG_LEVEL: "silent",
      REDIS_URL: redisUrl,
      EVENTS_NAMESPACE: namespace,
      // Every request comes from 127.0.0.1: no per-address registration limit; patients register without an e-mail code.
      REGISTRATION_MAX_PER_IP_PER_HOUR: "0",
      REGISTRATION_VERIFICATION: "off",
      ANALYTICS_PSEUDONYM_KEY: randomBytes(32).toString("base64url"),
      ...options.env,
    };

    const services: ServiceProcess[] = [];
    for (const { name, start: startSubgraph } of SUBGRAPHS) services.push(await startService(name as ServiceName, name, "subgraph", env, startSubgraph.name));
    const routerProcesses: ServiceProcess[] = [];
    for (let i = 0; i < routers; i++) {
      // The first on CLINIGRAPH_PORT_BASE, as its clients expect; the others above the subgraphs' ports.
      const routerEnv = i === 0 ? env : { ...env, ROUTER_PORT: String(portBase + PORT_SPAN + i) };
      routerProcesses.push(await startService("router", routers === 1 ? "router" : `router-${i + 1}`, "router", routerEnv));
    }
    services.push(...routerProcesses);

    prisma = createPrisma(db.url, 1); // any schema's raw SQL; scheduling's client is the one the benchmarks already load
    const outboxSchemas = (
      await prisma.$queryRawUnsafe<{ schema: string }[]>(
        `SELECT table_schema AS schema FROM information_schema.tables WHERE table_name = 'outbox' AND table_type = 'BASE TABLE' ORDER BY 1`,
      )
    ).map((row) => row.schema);
    redis = createClient({ url: redisUrl });
    redis.on("error", (err: unknown) => console.error("process stack: Redis connection error:", err));
    await redis.connect();
    const outboxes = outboxReader(prisma, outboxSchemas);
    const groups = groupReader(redis, namespace);

    return {
      routerUrl: routerProcesses[0]!.url,
      routerUrls: routerProcesses.map((router) => router.url),
      databaseUrl: db.url,
      admin,
      portBase,
      env,
      events: { redisUrl, namespace },
      services,
      routers: routerProcesses,
      async eventsSettled(timeoutMs = 120_000) {
        const deadline = performance.now() + timeoutMs;
        let unsettled: string[] = [];
        for (;;) {
          const before = await outboxes();
          unsettled = before.filter((o) => o.unpublished > 0).map((o) => `${o.schema}.outbox: ${o.unpublished} unpublished`);
          if (unsettled.length === 0) {
            unsettled = (await groups())
              .filter((g) => g.lag !== 0 || g.pending !== 0)
              .map((g) => `${g.stream} ${g.group}: lag ${g.lag ?? "?"}, ${g.pending} pending`);
            if (unsettled.length === 0) {
              const after = await outboxes();
              if (after.every((o, i) => o.unpublished === 0 && o.lastSequence === before[i]!.lastSequence)) return;
              unsettled = ["an outbox gained rows meanwhile"];
            }
          }
          if (performance.now() > deadline) throw new Error(`events not settled after ${timeoutMs} ms: ${unsettled.slice(0, 5).join("; ")}`);
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      },
      stop,
    };
  }

  const started = start().catch(async (err: unknown) => {
    await stop();
    throw err;
  });
  return { started, stop };
}

/** A `MeasuredProcess` of this very process (CPU and peak RSS sampled here, every 100 ms). */
export function thisProcess(name: string, role: "client" | "all"): MeasuredProcess {
  const meter = usageMeter();
  const profiler = cpuProfiler();
  return {
    name,
    pid: process.pid,
    role,
    async mark() {
      meter.mark();
    },
    async usage() {
      return meter.usage();
    },
    async memory(gc = false) {
      return memorySample(gc);
    },
    profileStart: () => profiler.start(),
    profileStop: (file) => profiler.stop(file),
  };
}

/** Whether the service's `/ready` (beside its GraphQL endpoint) answers 200 now: null if so, else what it answered. */
export async function notReady(graphqlUrl: string, timeoutMs = 5_000): Promise<string | null> {
  const readyUrl = new URL("/ready", graphqlUrl).href;
  try {
    const res = await fetch(readyUrl, { signal: AbortSignal.timeout(timeoutMs) });
    if (res.ok) return null;
    return `HTTP ${res.status}: ${(await res.text()).slice(0, 200)}`;
  } catch (err) {
    return String(err);
  }
}

/** Waits for the service's `/ready` (beside its GraphQL endpoint) to answer 200. */
async function waitReady(name: string, graphqlUrl: string) {
  const deadline = performance.now() + READY_TIMEOUT_MS;
  for (;;) {
    const last = await notReady(graphqlUrl);
    if (last === null) return;
    if (performance.now() > deadline) throw new Error(`${name} not ready after ${READY_TIMEOUT_MS / 1000} s (${new URL("/ready", graphqlUrl).href}: ${last})`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Every outbox's unpublished rows and last sequence (relay.ts `outboxState`), in `schemas` order. */
function outboxReader(prisma: ReturnType<typeof createPrisma>, schemas: readonly string[]) {
  const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;
  const sql = schemas
    .map(
      (schema) =>
        `SELECT '${schema.replace(/'/g, "''")}' AS schema, count(*) FILTER (WHERE published_at IS NULL)::int AS unpublished, ` +
        `coalesce(max(sequence), 0)::text AS "lastSequence" FROM ${quote(schema)}.outbox`,
    )
    .join(" UNION ALL ");
  return async (): Promise<{ schema: string; unpublished: number; lastSequence: string }[]> => {
    if (!sql) return [];
    const rows = await prisma.$queryRawUnsafe<{ schema: string; unpublished: number; lastSequence: string }[]>(sql);
    const bySchema = new Map(rows.map((row) => [row.schema, row]));
    return schemas.map((schema) => bySchema.get(schema)!);
  };
}

/** Every consumer group of every stream under `namespace`: its lag (null: Redis cannot tell) and pending entries. */
function groupReader(redis: ReturnType<typeof createClient>, namespace: string) {
  return async (): Promise<{ stream: string; group: string; lag: number | null; pending: number }[]> => {
    const streams: string[] = [];
    for await (const keys of redis.scanIterator({ MATCH: `${namespace}*`, TYPE: "stream", COUNT: 1000 })) streams.push(...keys.map(String));
    const perStream = await Promise.all(
      streams.map(async (stream) => {
        const groups = (await redis.xInfoGroups(stream).catch(() => [])) as unknown as {
          name: string;
          pending: number;
          "last-delivered-id": string;
          lag: number | null;
        }[];
        if (groups.length === 0) return [];
        // A null lag (entries deleted from the middle of the stream): read up to the last entry means lag 0.
        const lastId = groups.some((g) => g.lag === null) ? String((await redis.xInfoStream(stream))["last-generated-id"]) : undefined;
        return groups.map((g) => ({
          stream,
          group: String(g.name),
          lag: g.lag === null ? (String(g["last-delivered-id"]) === lastId ? 0 : null) : Number(g.lag),
          pending: Number(g.pending),
        }));
      }),
    );
    return perStream.flat();
  };
}

async function removeRedisKeys(client: ReturnType<typeof createClient> | undefined, url: string, namespace: string) {
  const own = !client?.isOpen;
  const redis = own ? createClient({ url }) : client!;
  if (own) await redis.connect();
  try {
    for await (const keys of redis.scanIterator({ MATCH: `${namespace}*`, COUNT: 500 })) if (keys.length) await redis.del(keys);
  } finally {
    if (own) await redis.close();
  }
}
