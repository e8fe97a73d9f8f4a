/**
 * pnpm phi:rotate [--dry-run] [--batch-size <n>] [--schema <name>]…
 *
 * Re-encrypts every sealed value of every subgraph — accounts (e-mail, phone, national id, signing keys)
 * and scheduling (appointment reasons, feedback comments, change reasons) — under the active data key
 * (CLINIGRAPH_DATA_KEY_ACTIVE, default the last key of CLINIGRAPH_DATA_KEYS). Needs DATABASE_URL and the
 * same CLINIGRAPH_DATA_KEYS as the services. Safe while the platform runs; idempotent and resumable (run it
 * again after an interruption). `--dry-run` only counts the values per key id. `--schema` limits it to
 * some subgraph schemas (for a subgraph moved to a database of its own). Exit code 1 when some value
 * could not be opened (its key is missing) or values under an old key remain.
 * Procedure: docs/adr/0003-contact-data-encryption.md, "Rotating the data key".
 */
import { parseArgs } from "node:util";
import { ConfigError, fieldCipherFromEnv } from "@clinigraph/platform";
import {
  SEALED_COLUMNS,
  SEALED_SCHEMAS,
  countValuesByKey,
  createRotationPool,
  missingTables,
  rotateDataKeys,
  type KeyCensus,
} from "@clinigraph/platform/rotate";

const USAGE =
  `usage: pnpm phi:rotate [--dry-run] [--batch-size <1..10000>] [--schema <${SEALED_SCHEMAS.join("|")}>]… ` +
  "(env: DATABASE_URL, CLINIGRAPH_DATA_KEYS, CLINIGRAPH_DATA_KEY_ACTIVE)";

function printCensus(census: KeyCensus, active: string) {
  const totals: Record<string, number> = {};
  for (const [column, byKey] of Object.entries(census)) {
    const parts = Object.entries(byKey).map(([kid, n]) => `${kid}${kid === active ? " (active)" : ""}: ${n}`);
    console.log(`  ${column.padEnd(42)} ${parts.join(", ") || "no values"}`);
    for (const [kid, n] of Object.entries(byKey)) totals[kid] = (totals[kid] ?? 0) + n;
  }
  const stale = Object.entries(totals)
    .filter(([kid]) => kid !== active)
    .reduce((sum, [, n]) => sum + n, 0);
  console.log(
    `  values per key id: ${
      Object.entries(totals)
        .map(([kid, n]) => `${kid}=${n}`)
        .join(", ") || "none"
    }; not under ${active}: ${stale}`,
  );
  return stale;
}

async function main(): Promise<number> {
  let values: { "dry-run"?: boolean; "batch-size"?: string; schema?: string[]; help?: boolean };
  try {
    ({ values } = parseArgs({
      options: {
        "dry-run": { type: "boolean" },
        "batch-size": { type: "string" },
        schema: { type: "string", multiple: true },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
    }));
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const batchSize = values["batch-size"] === undefined ? 500 : Number(values["batch-size"]);
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000) {
    console.error(`--batch-size must be a whole number from 1 to 10000\n${USAGE}`);
    return 2;
  }
  const unknown = (values.schema ?? []).filter((schema) => !SEALED_SCHEMAS.includes(schema));
  if (unknown.length > 0) {
    console.error(`--schema: no sealed columns in ${unknown.join(", ")}\n${USAGE}`);
    return 2;
  }
  const schemas = values.schema?.length ? values.schema : SEALED_SCHEMAS;
  const tables = SEALED_COLUMNS.filter((t) => schemas.includes(t.schema));
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error(`Set DATABASE_URL\n${USAGE}`);
    return 2;
  }
  let cipher;
  try {
    // Rotation only seals and opens values: blind indexes (their own key) are not touched.
    cipher = fieldCipherFromEnv(process.env, { blindIndex: false });
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      return 2;
    }
    throw err;
  }
  const active = cipher.activeKeyId;
  const pool = createRotationPool(url);
  try {
    const missing = await missingTables(pool, tables);
    if (missing.length > 0) {
      console.error(
        `not in this database: ${missing.map((t) => `${t.schema}.${t.table}`).join(", ")} — migrate it, or name the schemas that live here with --schema`,
      );
      return 2;
    }
    console.log(`${schemas.join(", ")}: sealed values per key id (active key: ${active})`);
    const stale = printCensus(await countValuesByKey(pool, tables), active);
    if (values["dry-run"]) {
      console.log(stale === 0 ? "dry run: nothing to re-encrypt" : `dry run: ${stale} value(s) would be re-encrypted under ${active}`);
      return 0;
    }
    if (stale === 0) {
      console.log(`nothing to re-encrypt: every value is under ${active}`);
      return 0;
    }
    const started = Date.now();
    const result = await rotateDataKeys(pool, cipher, {
      batchSize,
      tables,
      onProgress: (p) =>
        console.log(
          `  ${p.schema}.${p.table}: batch ${p.batch}, ${p.rows} row(s) locked, ${p.rotated} value(s) re-encrypted (${p.rotatedInTable} in this table)`,
        ),
    });
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(`re-encrypted ${result.total} value(s) under ${active} in ${seconds} s`);
    for (const [column, n] of Object.entries(result.rotated)) if (n > 0) console.log(`  ${column}: ${n}`);
    if (result.changedConcurrently > 0) console.log(`  ${result.changedConcurrently} value(s) were changed by the application meanwhile and kept`);
    console.log("after rotation:");
    const left = printCensus(await countValuesByKey(pool, tables), active);
    if (result.failures.length > 0) {
      console.error(`${result.failures.length} value(s) could not be opened and were left as they are:`);
      for (const f of result.failures)
        console.error(`  ${f.schema}.${f.table}.${f.column} ${f.key}: ${f.reason === "unknown-key" ? "its key is not in CLINIGRAPH_DATA_KEYS" : "unreadable"}`);
      return 1;
    }
    if (left > 0) console.log(`${left} value(s) are still under an old key (written meanwhile by a replica with another active key?): run again`);
    return left > 0 ? 1 : 0;
  } finally {
    await pool.end();
  }
}

process.exitCode = await main();
