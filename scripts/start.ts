/**
 * pnpm start — the whole platform on one machine, no configuration needed:
 *  - PostgreSQL: DATABASE_URL if set, else an embedded PostgreSQL in .clinigraph/pgdata (port EMBEDDED_PG_PORT, default 54329);
 *  - secrets: from the environment, else generated once into .clinigraph/secrets.json;
 *  - migrations of every subgraph, then every subgraph and the router (one process, their usual ports);
 *  - a local MailDev inbox for the e-mail accounts sends (registration codes) unless SMTP_URL is set;
 *  - the demo clinic seeded through the router (CLINIGRAPH_SEED=false skips it);
 *  - prints the router URL and the demo logins. Ctrl-C stops everything.
 */
import path from "node:path";
import { DATABASE_SUBGRAPHS, REPO_ROOT, createLogger, envInt, migrateTarget } from "@clinigraph/platform";
import { applyMigrations } from "@clinigraph/platform/migrate";
import { startAccounts } from "@clinigraph/accounts";
import { startDoctors } from "@clinigraph/doctors";
import { startScheduling } from "@clinigraph/scheduling";
import { startClinical } from "@clinigraph/clinical";
import { createEventBus } from "@clinigraph/events";
import { MailDev } from "maildev";
import { createRouter, loadRouterConfig } from "@clinigraph/router";
import { ensureDevSecrets } from "./lib/devSecrets.js";
import { startEmbeddedPostgres, type EmbeddedDatabase } from "./lib/embeddedPostgres.js";
import { DEMO_DOCTORS, DEMO_PASSWORD, DEMO_PATIENTS, DEMO_STAFF, seedDemoClinic } from "./lib/demoClinic.js";

const started = Date.now();
const stateDir = path.join(REPO_ROOT, ".clinigraph");
const env: Record<string, string | undefined> = { ...process.env };
env.LOG_LEVEL ??= "warn";
Object.assign(env, ensureDevSecrets(stateDir, env));
env.CLINIGRAPH_ADMIN_EMAIL ??= "admin@clinigraph.demo";
env.CLINIGRAPH_ADMIN_PASSWORD ??= "Clinigraph-admin-1";
const log = createLogger("start", env.LOG_LEVEL);

const stops: (() => Promise<unknown>)[] = [];
let stopping = false;
async function shutdown(code: number) {
  if (stopping) return;
  stopping = true;
  console.log("\nstopping Clinigraph…");
  for (const stop of stops.reverse()) {
    await stop().catch((err: unknown) => log.error({ err }, "error while stopping"));
  }
  process.exit(code);
}
process.once("SIGINT", () => void shutdown(0));
process.once("SIGTERM", () => void shutdown(0));

try {
  let embedded: EmbeddedDatabase | undefined;
  if (!env.DATABASE_URL) {
    embedded = await startEmbeddedPostgres(stateDir, envInt("EMBEDDED_PG_PORT", 54329, env));
    stops.push(() => embedded!.stop());
    env.DATABASE_URL = embedded.url;
  }
  for (const subgraph of DATABASE_SUBGRAPHS) await applyMigrations(env.DATABASE_URL, migrateTarget(subgraph));

  // Registration codes go by e-mail (REGISTRATION_VERIFICATION=email, the default): without SMTP_URL, a local
  // MailDev inbox receives every mail (web UI and REST API /api/email), kept in .clinigraph/mail.
  let mailInbox: string | undefined;
  if (!env.SMTP_URL && env.REGISTRATION_VERIFICATION !== "off") {
    const smtpPort = envInt("MAILDEV_SMTP_PORT", 1025, env);
    const webPort = envInt("MAILDEV_WEB_PORT", 1080, env);
    const maildev = new MailDev({
      smtp: smtpPort,
      web: webPort,
      ip: "127.0.0.1",
      webIp: "127.0.0.1",
      mailDirectory: path.join(stateDir, "mail"),
      hideExtensions: ["STARTTLS"],
      silent: true,
    });
    await maildev.start();
    stops.push(() => maildev.stop());
    env.SMTP_URL = `smtp://127.0.0.1:${smtpPort}`;
    mailInbox = `http://127.0.0.1:${webPort}`;
  }

  // One event bus for the process: without REDIS_URL it is in memory, and accounts' care-relationship
  // projection must read the stream scheduling's relay writes to.
  const bus = await createEventBus({ redisUrl: env.REDIS_URL || undefined, logger: createLogger("events", env.LOG_LEVEL) });
  stops.push(() => bus.close());
  const accounts = await startAccounts(env, undefined, { bus });
  stops.push(() => accounts.close());
  const doctors = await startDoctors(env);
  stops.push(() => doctors.close());
  const scheduling = await startScheduling({ ...env, ACCOUNTS_URL: env.ACCOUNTS_URL ?? accounts.url }, { bus });
  stops.push(() => scheduling.close());
  const clinical = await startClinical(env, { bus });
  stops.push(() => clinical.close());

  const routerConfig = loadRouterConfig({ ...env, ACCOUNTS_JWKS_URL: env.ACCOUNTS_JWKS_URL ?? accounts.url.replace("/graphql", "/.well-known/jwks.json") });
  const router = await createRouter({
    ...routerConfig, // every router setting (edge included: APQ on, safelist off unless PERSISTED_QUERY_MANIFEST is set)
    supergraph: { supergraphPath: routerConfig.supergraphPath },
    subgraphUrls: { accounts: accounts.url, doctors: doctors.url, scheduling: scheduling.url, clinical: clinical.url, ...routerConfig.subgraphUrls },
    logger: createLogger("router", env.LOG_LEVEL),
  });
  const running = await router.listen(routerConfig.port, routerConfig.host);
  stops.push(() => running.close());

  if (env.CLINIGRAPH_SEED !== "false") {
    await seedDemoClinic(running.url, { email: env.CLINIGRAPH_ADMIN_EMAIL, password: env.CLINIGRAPH_ADMIN_PASSWORD }, (line) => console.log(line));
  }

  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`
Clinigraph is running (${seconds}s) — database: ${embedded ? "embedded PostgreSQL in .clinigraph/pgdata" : "DATABASE_URL"}, events: ${env.REDIS_URL ? "Redis (REDIS_URL)" : "in process"}

  Router (GraphQL over HTTP):  ${running.url}
  Subscriptions (graphql-ws):  ${running.url.replace("http", "ws")}  (connectionParams.authorization: "Bearer <token>")
  Health / readiness / metrics: ${running.url.replace("/graphql", "")}/health  /ready  /metrics
  Subgraphs: accounts ${accounts.url}  doctors ${doctors.url}  scheduling ${scheduling.url}  clinical ${clinical.url}
             (they only answer the router)
${
  mailInbox
    ? `  Mail inbox (registration codes): ${mailInbox}
`
    : ""
}
Demo logins (password for all but the admin: ${DEMO_PASSWORD})
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
