/**
 * Offline migrations through Prisma's WebAssembly schema engine (ADR 1).
 *
 * The `prisma` CLI wants to download a native schema-engine binary; this module drives the same
 * engine compiled to WebAssembly, over a `pg` connection (`@prisma/adapter-pg`). Migrations stay
 * committed SQL under `prisma/<subgraph>/migrations/<name>/migration.sql` and are recorded in
 * `_prisma_migrations`, the table `prisma migrate deploy` uses, so either tool can take over.
 */
import { readFile, readdir, mkdir, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { PrismaPg } from "@prisma/adapter-pg";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import pg from "pg";

const require = createRequire(import.meta.url);

interface MigrationDirectory {
  path: string;
  migrationFile: { path: string; content: { tag: "ok"; value: string } };
}
interface MigrationList {
  baseDir: string;
  lockfile: { path: string; content: string | null };
  shadowDbInitScript: string;
  migrationDirectories: MigrationDirectory[];
}
interface Engine {
  applyMigrations(input: unknown): Promise<{ appliedMigrationNames: string[] }>;
  diff(input: unknown): Promise<{ exitCode: number; stdout: string | null }>;
  free(): void;
}

let engineModule: Promise<{ SchemaEngine: { new: (...args: unknown[]) => Promise<Engine> } }> | undefined;

/** Loads the wasm-bindgen module once: instantiate the .wasm with the JS glue as its import object. */
function loadEngineModule() {
  engineModule ??= (async () => {
    const bgPath = require.resolve("@prisma/schema-engine-wasm/schema_engine_bg");
    const glue = (await import(pathToFileURL(bgPath).href)) as Record<string, unknown> & {
      __wbg_set_wasm(exports: WebAssembly.Exports): void;
    };
    const bytes = await readFile(path.join(path.dirname(bgPath), "schema_engine_bg.wasm"));
    // The engine arms timers (e.g. lock timeouts) it may leave pending after it is done; unref them so a
    // finished migration does not keep the process (or a test worker) alive.
    const imports: Record<string, unknown> = { ...glue };
    for (const name of Object.keys(imports).filter((key) => key.startsWith("__wbg_setTimeout_"))) {
      imports[name] = (callback: () => void, ms: number) => setTimeout(callback, ms >>> 0).unref();
    }
    const { instance } = await WebAssembly.instantiate(bytes, { "./schema_engine_bg.js": imports as WebAssembly.ModuleImports });
    glue.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return glue as unknown as { SchemaEngine: { new: (...args: unknown[]) => Promise<Engine> } };
  })();
  return engineModule;
}

export interface MigrateTarget {
  /** Directory holding schema.prisma and migrations/ (e.g. prisma/accounts). */
  dir: string;
  /** PostgreSQL schema the subgraph owns (e.g. "accounts"). */
  schema: string;
}

async function withEngine<T>(connectionString: string, datamodel: string, fn: (engine: Engine) => Promise<T>, shadowUrl?: string) {
  const { SchemaEngine } = await loadEngineModule();
  const pools: pg.Pool[] = [];
  const adapter = migrationAdapter(pools, connectionString, shadowUrl);
  const logs: string[] = [];
  const engine = await SchemaEngine.new({ datamodels: [["schema.prisma", datamodel]] }, (log: string) => logs.push(log), adapter);
  try {
    return await fn(engine);
  } finally {
    engine.free();
    await Promise.all(pools.map((pool) => pool.end()));
  }
}

const PG_CHAR_OID = 18;
const PG_TEXT_OID = 25;
const COLUMN_TYPE_CHARACTER = 6; // ColumnTypeEnum.Character in @prisma/driver-adapter-utils

/**
 * The engine's introspection reads catalog columns of PostgreSQL's internal one-byte `"char"` type,
 * which `@prisma/adapter-pg` 7.9 refuses ("Unsupported column type char"), so `diff` over migrations
 * fails. Work-around, local to migrations: the pool reports those columns as text (remembering which,
 * keyed by the rows array the adapter passes through), and the adapter's results are then corrected
 * to the `Character` column type the engine expects.
 */
const charColumns = new WeakMap<unknown[], number[]>();

function introspectionSafePool(connectionString: string, pools: pg.Pool[]): pg.Pool {
  const pool = new pg.Pool({ connectionString, max: 2 });
  pool.on("error", () => undefined); // idle clients of a dropped scratch database
  pools.push(pool);
  pool.on("connect", (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
      const callback = args.at(-1);
      if (typeof callback === "function") {
        // pg.Pool#query calls client.query(config, callback)
        args[args.length - 1] = (err: Error | null, res: pg.QueryResult) => callback(err, err ? res : reportCharAsText(res));
        return query(...args);
      }
      const result = query(...args);
      return result instanceof Promise ? result.then(reportCharAsText) : result;
    };
  });
  return pool;
}

function reportCharAsText(res: pg.QueryResult): pg.QueryResult {
  const indices: number[] = [];
  res?.fields?.forEach((field, i) => {
    if (field.dataTypeID === PG_CHAR_OID) {
      field.dataTypeID = PG_TEXT_OID;
      indices.push(i);
    }
  });
  if (indices.length) charColumns.set(res.rows, indices);
  return res;
}

/** Wraps anything with `queryRaw` (adapter, transaction) so "char" columns come back as Character. */
function fixCharColumns<T extends object>(target: T): T {
  return new Proxy(target, {
    get(obj, prop, receiver) {
      const value = Reflect.get(obj, prop, receiver) as unknown;
      if (prop === "executeScript") return executeWholeScript(obj as unknown as ScriptRunner, value as (script: string) => Promise<void>);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        const result = (value as (...a: unknown[]) => unknown).apply(obj, args);
        return result instanceof Promise ? result.then((r: unknown) => fixResult(prop, r)) : fixResult(prop, result);
      };
    },
  });
}

interface ScriptRunner {
  client?: { query(sql: string): Promise<unknown> };
  onError?(error: unknown): never;
}

/**
 * adapter-pg 7.9 runs a migration script by splitting it on ";" — which breaks any statement holding a
 * semicolon (a PL/pgSQL function body, a string). PostgreSQL's simple query protocol runs a whole
 * multi-statement script in one call, so do that instead.
 */
function executeWholeScript(adapter: ScriptRunner, fallback: (script: string) => Promise<void>) {
  if (!adapter.client || !adapter.onError) return fallback.bind(adapter);
  return async (script: string) => {
    try {
      await adapter.client!.query(script);
    } catch (error) {
      adapter.onError!(error);
    }
  };
}

function fixResult(prop: string | symbol, result: unknown): unknown {
  if (prop === "queryRaw") {
    const res = result as { columnTypes: number[]; rows: unknown[] };
    for (const i of charColumns.get(res.rows) ?? []) res.columnTypes[i] = COLUMN_TYPE_CHARACTER;
    return res;
  }
  if (result && typeof result === "object" && "queryRaw" in result) return fixCharColumns(result);
  return result;
}

/** `shadowUrl`: an empty scratch database the engine may use as its shadow database. */
function migrationAdapter(pools: pg.Pool[], connectionString: string, shadowUrl?: string) {
  const factory = new PrismaPg(introspectionSafePool(connectionString, pools));
  const wrapped = {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => fixCharColumns(await factory.connect()),
    connectToShadowDb: async () => {
      if (!shadowUrl) throw new Error("this migrate operation needs no shadow database");
      return fixCharColumns(await new PrismaPg(introspectionSafePool(shadowUrl, pools)).connect());
    },
  };
  return bindMigrationAwareSqlAdapterFactory(wrapped as unknown as PrismaPg);
}

async function loadMigrations(dir: string): Promise<MigrationList> {
  const baseDir = path.resolve(dir, "migrations");
  const names = existsSync(baseDir)
    ? (await readdir(baseDir, { withFileTypes: true }))
        .filter((e) => e.isDirectory())
        .map((e) => e.name)
        .sort()
    : [];
  const migrationDirectories = await Promise.all(
    names.map(async (name) => ({
      path: name,
      migrationFile: { path: "migration.sql", content: { tag: "ok" as const, value: await readFile(path.join(baseDir, name, "migration.sql"), "utf8") } },
    })),
  );
  const lockPath = path.join(baseDir, "migration_lock.toml");
  return {
    baseDir,
    lockfile: { path: "migration_lock.toml", content: existsSync(lockPath) ? await readFile(lockPath, "utf8") : null },
    shadowDbInitScript: "",
    migrationDirectories,
  };
}

const filters = { externalTables: [], externalEnums: [] };

/** Applies every committed migration of `target` that the database has not seen yet. */
export async function applyMigrations(connectionString: string, target: MigrateTarget): Promise<string[]> {
  const datamodel = await readFile(path.join(target.dir, "schema.prisma"), "utf8");
  // _prisma_migrations lives in the subgraph's own schema, so each subgraph migrates independently.
  const url = withSearchPath(connectionString, target.schema);
  await ensureSchema(connectionString, target.schema);
  const migrationsList = await loadMigrations(target.dir);
  return withEngine(url, datamodel, async (engine) => (await engine.applyMigrations({ migrationsList, filters })).appliedMigrationNames);
}

/**
 * The committed migrations of `target` the database has not finished applying (none rolled back counts), oldest
 * first: every one of them when the subgraph's schema or its `_prisma_migrations` table does not exist yet.
 */
export async function pendingMigrations(connectionString: string, target: MigrateTarget): Promise<string[]> {
  const committed = (await loadMigrations(target.dir)).migrationDirectories.map((migration) => migration.path);
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    const table = `"${target.schema.replace(/"/g, "")}"._prisma_migrations`;
    const { rows } = await client.query<{ exists: boolean }>("SELECT to_regclass($1) IS NOT NULL AS exists", [table]);
    if (!rows[0]?.exists) return committed;
    const applied = await client.query<{ migration_name: string }>(
      `SELECT migration_name FROM ${table} WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
    );
    const done = new Set(applied.rows.map((row) => row.migration_name));
    return committed.filter((name) => !done.has(name));
  } finally {
    await client.end();
  }
}

/**
 * Writes the next migration: the SQL that takes a database with every committed migration applied
 * to the current schema.prisma. The engine replays the committed migrations in a scratch (shadow)
 * database on the same server, created and dropped here.
 */
export async function createMigration(connectionString: string, target: MigrateTarget, name: string): Promise<string | null> {
  const datamodel = await readFile(path.join(target.dir, "schema.prisma"), "utf8");
  const scratch = `clinigraph_migrate_${Date.now().toString(36)}`;
  await adminQuery(connectionString, `CREATE DATABASE ${scratch}`);
  try {
    const scratchUrl = withDatabase(connectionString, scratch);
    // The scratch database is the engine's shadow database: it replays the committed migrations there.
    const migrations = await loadMigrations(target.dir);
    migrations.lockfile.content ??= 'provider = "postgresql"\n';
    const script = await withEngine(
      withSearchPath(connectionString, target.schema),
      datamodel,
      async (engine) => {
        const result = await engine.diff({
          from: migrations.migrationDirectories.length ? { tag: "migrations", ...migrations } : { tag: "empty" },
          to: { tag: "schemaDatamodel", files: [{ path: "schema.prisma", content: datamodel }] },
          script: true,
          exitCode: null,
          filters,
        });
        return result.stdout;
      },
      scratchUrl,
    );
    if (!script || /^-- This is an empty migration/.test(script.trim())) return null;
    const stamp = new Date().toISOString().replace(/[-:T]/g, "").slice(0, 14);
    const migrationDir = path.join(target.dir, "migrations", `${stamp}_${name.replace(/[^a-z0-9_]/gi, "_")}`);
    await mkdir(migrationDir, { recursive: true });
    await writeFile(path.join(migrationDir, "migration.sql"), script);
    const lock = path.join(target.dir, "migrations", "migration_lock.toml");
    if (!existsSync(lock)) await writeFile(lock, 'provider = "postgresql"\n');
    return migrationDir;
  } finally {
    await adminQuery(connectionString, `DROP DATABASE IF EXISTS ${scratch} WITH (FORCE)`);
  }
}

export function withSearchPath(connectionString: string, schema: string): string {
  const url = new URL(connectionString);
  url.searchParams.set("options", `-c search_path=${schema}`);
  return url.toString();
}

export function withDatabase(connectionString: string, database: string): string {
  const url = new URL(connectionString);
  url.pathname = `/${database}`;
  return url.toString();
}

async function ensureSchema(connectionString: string, schema: string) {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema.replace(/"/g, "")}"`);
  } finally {
    await client.end();
  }
}

async function adminQuery(connectionString: string, sql: string) {
  const client = new pg.Client({ connectionString: withDatabase(connectionString, "postgres") });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
