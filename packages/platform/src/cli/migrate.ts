/**
 * A deployment's migrations, from compiled JavaScript (the `migrate` image, docs/adr/0023):
 *   node --conditions=clinigraph-dist packages/platform/dist/cli/migrate.js
 *       applies every subgraph's committed migrations (prisma/<subgraph>/migrations) to DATABASE_URL — the release's
 *       migration Job;
 *   … migrate.js --wait [<subgraph>…] [--timeout <seconds>]
 *       applies nothing: waits until the database holds every committed migration of those subgraphs (default: all)
 *       that this image ships, asking every 2 s; exits 0 then, or 1 after the timeout (default 600 s) — a
 *       Deployment's init container, so that no pod of a release starts before that release's migrations are in.
 * `pnpm migrate` applies them from the sources (scripts/migrate.ts).
 */
import { pathToFileURL } from "node:url";
import { DATABASE_SUBGRAPHS, migrateTarget } from "../database.js";
import { applyMigrations, pendingMigrations } from "../migrate.js";

export interface MigrateCliOptions {
  /** Where progress goes (a line each). */
  log?: (line: string) => void;
  /** Time between two checks of `--wait`, milliseconds (default 2000). */
  intervalMs?: number;
}

const USAGE = `usage: migrate.js [--wait [<subgraph>…] [--timeout <seconds>]] (subgraphs: ${DATABASE_SUBGRAPHS.join(", ")})`;

/** Runs the command line `argv` against `env.DATABASE_URL`; resolves to the process's exit code. */
export async function migrateCli(argv: readonly string[], env: Record<string, string | undefined>, options: MigrateCliOptions = {}): Promise<number> {
  const log = options.log ?? ((line: string) => console.log(line));
  const url = env.DATABASE_URL;
  if (!url) {
    log("DATABASE_URL is not set");
    return 2;
  }
  if (argv[0] !== "--wait") {
    if (argv.length > 0) {
      log(USAGE);
      return 2;
    }
    for (const subgraph of DATABASE_SUBGRAPHS) {
      const applied = await applyMigrations(url, migrateTarget(subgraph));
      log(`${subgraph}: ${applied.length ? `applied ${applied.join(", ")}` : "up to date"}`);
    }
    return 0;
  }

  const subgraphs: string[] = [];
  let timeoutSeconds = 600;
  for (let i = 1; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--timeout") {
      timeoutSeconds = Number(argv[++i]);
      if (!Number.isInteger(timeoutSeconds) || timeoutSeconds < 0) {
        log("--timeout needs a whole number of seconds");
        return 2;
      }
    } else if ((DATABASE_SUBGRAPHS as readonly string[]).includes(arg)) subgraphs.push(arg);
    else {
      log(USAGE);
      return 2;
    }
  }
  const targets = subgraphs.length ? subgraphs : [...DATABASE_SUBGRAPHS];
  const deadline = Date.now() + timeoutSeconds * 1000;
  let reported = "";
  for (;;) {
    const pending: string[] = [];
    for (const subgraph of targets) {
      try {
        for (const name of await pendingMigrations(url, migrateTarget(subgraph))) pending.push(`${subgraph}/${name}`);
      } catch (err) {
        pending.push(`${subgraph} (database not reachable: ${err instanceof Error ? err.message : String(err)})`);
      }
    }
    if (pending.length === 0) {
      log(`migrations in place: ${targets.join(", ")}`);
      return 0;
    }
    const summary = `waiting for migrations: ${pending.join(", ")}`;
    if (summary !== reported) log((reported = summary));
    if (Date.now() >= deadline) {
      log(`gave up after ${timeoutSeconds} s: has the release's migration Job run?`);
      return 1;
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(options.intervalMs ?? 2_000, Math.max(0, deadline - Date.now()))));
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await migrateCli(process.argv.slice(2), process.env);
}
