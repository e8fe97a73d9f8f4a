/**
 * PHI key rotation (`pnpm phi:rotate`, ADR 3 "Rotating the data key"): re-encrypts every sealed value of
 * every subgraph schema (`SEALED_COLUMNS`) that names another key than the cipher's active one.
 *
 * - Keyset pagination by primary key; each batch is one transaction that locks its rows
 *   (`SELECT … FOR UPDATE`, `lock_timeout`), so an application write to the same row waits for the batch
 *   and then applies its own (fresh) value; the write-back is also a compare-and-set on the old ciphertext.
 * - Only values under another key are selected, so the command is idempotent and resumable: after a
 *   crash, run it again and it continues with what is left.
 * - Blind indexes are untouched: they use their own key and the plain text does not change.
 * - Values that cannot be opened (their key is not configured, or they are corrupt) are reported by
 *   schema, table, column and row key and skipped; nothing else is logged (never a value).
 *
 * Plain `pg` (no subgraph's Prisma client): the command belongs to no subgraph. Each subgraph owns its
 * schema; they share one database today, and were one moved to its own database the command would run
 * against it with `schemas` narrowed to it.
 */
import pg from "pg";
import { keyIdOf, type FieldCipher } from "./crypto.js";

export interface SealedTable {
  /** The PostgreSQL schema the owning subgraph keeps its tables in. */
  schema: string;
  table: string;
  /** Primary key column and its SQL type (keyset pagination). */
  key: string;
  keyType: "uuid" | "text";
  /** Columns holding FieldCipher output (`v1.<kid>.…`), nullable or not. */
  columns: readonly string[];
}

/**
 * Every column of every subgraph schema that holds sealed values. A new one must be listed here: the
 * rotation test checks this list against every `*_enc` column of the migrated schemas.
 */
export const SEALED_COLUMNS: readonly SealedTable[] = [
  { schema: "accounts", table: "users", key: "id", keyType: "uuid", columns: ["email_enc", "phone_enc"] },
  { schema: "accounts", table: "patients", key: "id", keyType: "uuid", columns: ["national_id_enc"] },
  { schema: "accounts", table: "signing_keys", key: "kid", keyType: "text", columns: ["private_key_enc"] },
  { schema: "accounts", table: "data_exports", key: "id", keyType: "uuid", columns: ["json_enc"] },
  { schema: "accounts", table: "email_changes", key: "user_id", keyType: "uuid", columns: ["new_email_enc"] },
  { schema: "scheduling", table: "appointments", key: "id", keyType: "uuid", columns: ["reason_enc", "feedback_comment_enc"] },
  { schema: "scheduling", table: "appointment_changes", key: "id", keyType: "uuid", columns: ["reason_enc"] },
  { schema: "scheduling", table: "feedback_moderation", key: "appointment_id", keyType: "uuid", columns: ["hidden_reason_enc"] },
  { schema: "clinical", table: "encounters", key: "id", keyType: "uuid", columns: ["summary_enc", "refusal_reason_enc"] },
  { schema: "clinical", table: "examinations", key: "id", keyType: "uuid", columns: ["result_enc", "cancel_reason_enc"] },
  {
    schema: "clinical",
    table: "record_versions",
    key: "id",
    keyType: "uuid",
    columns: ["complaints_enc", "diagnosis_enc", "prescriptions_enc", "notes_enc", "amend_reason_enc"],
  },
];

/** The schemas `SEALED_COLUMNS` covers, in order. */
export const SEALED_SCHEMAS: readonly string[] = [...new Set(SEALED_COLUMNS.map((t) => t.schema))];

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;
const qualified = ({ schema, table }: SealedTable) => `${ident(schema)}.${ident(table)}`;
/** "schema.table.column", the key of census and result maps. */
export const columnName = (spec: Pick<SealedTable, "schema" | "table">, column: string) => `${spec.schema}.${spec.table}.${column}`;

/** A small pool for the command (it runs one batch at a time). */
export const createRotationPool = (connectionString: string) => new pg.Pool({ connectionString, max: 2 });

/** Tables of `tables` this database does not have (e.g. a schema not migrated here). */
export async function missingTables(pool: pg.Pool, tables: readonly SealedTable[] = SEALED_COLUMNS): Promise<SealedTable[]> {
  const { rows } = await pool.query<{ name: string | null }>("SELECT to_regclass(name)::text AS name FROM unnest($1::text[]) AS name", [tables.map(qualified)]);
  return tables.filter((_, i) => rows[i]!.name === null);
}

/** "schema.table.column" → key id → number of values. */
export type KeyCensus = Record<string, Record<string, number>>;

/** How many sealed values each key id holds, per column (the dry run). */
export async function countValuesByKey(pool: pg.Pool, tables: readonly SealedTable[] = SEALED_COLUMNS): Promise<KeyCensus> {
  const census: KeyCensus = {};
  for (const spec of tables) {
    for (const column of spec.columns) {
      const { rows } = await pool.query<{ kid: string; n: number }>(
        `SELECT split_part(${ident(column)}, '.', 2) AS kid, count(*)::int AS n FROM ${qualified(spec)} WHERE ${ident(column)} IS NOT NULL GROUP BY 1 ORDER BY 1`,
      );
      census[columnName(spec, column)] = Object.fromEntries(rows.map((row) => [row.kid, row.n]));
    }
  }
  return census;
}

export interface RotationProgress {
  schema: string;
  table: string;
  batch: number;
  /** Rows locked in this batch (each holds at least one value under another key). */
  rows: number;
  /** Values re-encrypted in this batch, and so far in this table. */
  rotated: number;
  rotatedInTable: number;
}

export interface RotationFailure {
  schema: string;
  table: string;
  column: string;
  /** The row's primary key (a uuid or a signing key id: no PHI). */
  key: string;
  reason: "unknown-key" | "unreadable";
}

export interface RotationResult {
  activeKeyId: string;
  /** "schema.table.column" → values re-encrypted. */
  rotated: Record<string, number>;
  total: number;
  /** Values changed by someone else between the read and the write (left as they are: already fresh). */
  changedConcurrently: number;
  failures: RotationFailure[];
}

export interface RotationOptions {
  batchSize?: number;
  /** Longest wait for a row lock held by the application (default 30 s): then the batch fails and can be re-run. */
  lockTimeoutMs?: number;
  onProgress?: (progress: RotationProgress) => void;
  /** Tests only: called inside each batch's transaction once its rows are locked. */
  afterLock?: (batch: { schema: string; table: string; keys: string[] }) => Promise<void>;
  tables?: readonly SealedTable[];
}

export async function rotateDataKeys(pool: pg.Pool, cipher: FieldCipher, options: RotationOptions = {}): Promise<RotationResult> {
  const batchSize = options.batchSize ?? 500;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000) throw new Error("batchSize must be a whole number from 1 to 10000");
  const lockTimeoutMs = Math.max(1, Math.floor(options.lockTimeoutMs ?? 30_000));
  const active = cipher.activeKeyId;
  const result: RotationResult = { activeKeyId: active, rotated: {}, total: 0, changedConcurrently: 0, failures: [] };

  for (const spec of options.tables ?? SEALED_COLUMNS) {
    const { schema, table, key, keyType, columns } = spec;
    for (const column of columns) result.rotated[columnName(spec, column)] = 0;
    const stale = columns.map((c) => `split_part(${ident(c)}, '.', 2) <> $2`).join(" OR ");
    const select =
      `SELECT ${ident(key)}::text AS key, ${columns.map(ident).join(", ")} FROM ${qualified(spec)} ` +
      `WHERE ($1::${keyType} IS NULL OR ${ident(key)} > $1::${keyType}) AND (${stale}) ORDER BY ${ident(key)} LIMIT $3 FOR UPDATE`;
    let cursor: string | null = null;
    let batch = 0;
    let rotatedInTable = 0;
    for (;;) {
      const outcome = await inTransaction(pool, async (client) => {
        await client.query(`SET LOCAL lock_timeout = ${lockTimeoutMs}`);
        // Immutable rows (clinical's signed record versions) let this transaction re-seal their *_enc columns only.
        await client.query(`SET LOCAL clinigraph.reencrypt = 'on'`);
        const { rows } = await client.query<Record<string, string | null>>(select, [cursor, active, batchSize]);
        if (rows.length === 0) return null;
        const keys = rows.map((row) => row.key!);
        await options.afterLock?.({ schema, table, keys });
        let rotated = 0;
        for (const column of columns) {
          const ids: string[] = [];
          const olds: string[] = [];
          const news: string[] = [];
          for (const row of rows) {
            const sealed = row[column];
            if (!sealed || keyIdOf(sealed) === active) continue;
            const reopened = reseal(cipher, sealed);
            if (typeof reopened !== "string") {
              result.failures.push({ schema, table, column, key: row.key!, reason: reopened.reason });
              continue;
            }
            ids.push(row.key!);
            olds.push(sealed);
            news.push(reopened);
          }
          if (ids.length === 0) continue;
          // Compare-and-set: only where the value is still the one this batch read and re-encrypted.
          const updated = await client.query(
            `UPDATE ${qualified(spec)} AS t SET ${ident(column)} = v.new_value ` +
              `FROM unnest($1::${keyType}[], $2::text[], $3::text[]) AS v(key, old_value, new_value) ` +
              `WHERE t.${ident(key)} = v.key AND t.${ident(column)} = v.old_value`,
            [ids, olds, news],
          );
          const count = updated.rowCount ?? 0;
          result.changedConcurrently += ids.length - count;
          result.rotated[columnName(spec, column)]! += count;
          rotated += count;
        }
        return { keys, rotated };
      });
      if (!outcome) break;
      batch += 1;
      rotatedInTable += outcome.rotated;
      result.total += outcome.rotated;
      cursor = outcome.keys.at(-1)!;
      options.onProgress?.({ schema, table, batch, rows: outcome.keys.length, rotated: outcome.rotated, rotatedInTable });
    }
  }
  return result;
}

async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query("BEGIN");
    const value = await work(client);
    await client.query("COMMIT");
    return value;
  } catch (err) {
    // A connection that cannot even roll back is dropped from the pool rather than reused.
    await client.query("ROLLBACK").catch((rollbackError: Error) => (broken = rollbackError));
    throw err;
  } finally {
    client.release(broken);
  }
}

/** Opens a value under its (old) key and seals it under the active key; never throws with the value in the message. */
function reseal(cipher: FieldCipher, sealed: string): string | { reason: RotationFailure["reason"] } {
  let plain: string;
  try {
    plain = cipher.decrypt(sealed);
  } catch (err) {
    return { reason: err instanceof Error && /is not configured/.test(err.message) ? "unknown-key" : "unreadable" };
  }
  return cipher.encrypt(plain);
}
