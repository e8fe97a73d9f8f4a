/**
 * A child process of a benchmark: ONE service of the platform, started as `pnpm start` starts it but alone in its
 * process, as a deployment runs it.
 *
 * - A subgraph: the start function `scripts/lib/subgraphs.ts` lists for it (`SUBGRAPHS`: `start<Name>` of
 *   `@clinigraph/<name>`), called as `start(env, { bus })` with this process's own event bus (`createEventBus` on the
 *   environment's REDIS_URL). Only that subgraph's package is loaded, as its own `main.ts` would, so the process's
 *   memory is that subgraph's. Background jobs run as the start function runs them by default.
 * - The router: `loadRouterConfig(env)`, `createRouter` with every setting of that configuration (as scripts/start.ts
 *   does), listening on the configuration's port and host.
 *
 * The environment is given whole to `start` (the service reads no other); the parent forks this process with
 * NODE_ENV set as well, since libraries read it from `process.env` when they load.
 *
 * Methods (see `children.ts`; `mark`/`usage`/`memory` are built in):
 * - `start(service, env, startExport?)` → `{ url }` once the service listens (`startExport`: the name of the subgraph's
 *   start function, `start<Name>` by default);
 * - `profileStart()` / `profileStop(file)` → file: a V8 CPU profile of this process between the two calls;
 * - `stop`: the service closed, then its event bus.
 */
import { createLogger, createTracing } from "@clinigraph/platform";
import { createEventBus, type EventBus } from "@clinigraph/events";
import type { StartSubgraph } from "../../scripts/lib/subgraphs.js";
import { serveParent } from "./children.js";
import { cpuProfiler } from "./cpuProfile.js";

type Env = Record<string, string | undefined>;

let running: { url: string; close(): Promise<void> } | undefined;
let bus: EventBus | undefined;
const profiler = cpuProfiler();

const startExportOf = (name: string) => `start${name.charAt(0).toUpperCase()}${name.slice(1)}`;

async function startSubgraph(name: string, env: Env, startExport: string) {
  const exported = ((await import(`@clinigraph/${name}`)) as Record<string, unknown>)[startExport];
  if (typeof exported !== "function") throw new Error(`@clinigraph/${name} exports no function ${startExport}`);
  bus = await createEventBus({ redisUrl: env.REDIS_URL, logger: createLogger("events", env.LOG_LEVEL) });
  return (exported as StartSubgraph)(env, { bus });
}

async function startRouter(env: Env) {
  const { createRouter, loadRouterConfig } = await import("@clinigraph/router");
  const config = loadRouterConfig(env);
  const router = await createRouter({
    ...config,
    supergraph: { supergraphPath: config.supergraphPath },
    logger: createLogger("router", config.logLevel),
    tracing: createTracing("router", env),
  });
  const listening = await router.listen(config.port, config.host);
  return { url: listening.url, close: () => listening.close() };
}

serveParent({
  async start(service: string, env: Env, startExport?: string) {
    if (running) throw new Error(`${service}: already started`);
    running = service === "router" ? await startRouter(env) : await startSubgraph(service, env, startExport || startExportOf(service));
    return { url: running.url };
  },

  profileStart: () => profiler.start(),
  profileStop: (file: string) => profiler.stop(file),

  async stop() {
    try {
      await running?.close();
    } finally {
      await bus?.close();
    }
  },
});
