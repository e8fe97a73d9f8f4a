/**
 * PHI key rotation: re-encrypts every sealed value of the accounts schema that names another key than
 * the cipher's active one (ADR 3, "Rotating the data key").
 *
 * - Keyset pagination by primary key; each batch is one transaction that locks its rows
 *   (`SELECT … FOR UPDATE`), so an application write to the same row waits for the batch and then
 *   applies its own (fresh) value; the write-back is also a compare-and-set on the old ciphertext.
 * - Only values under another key are selected, so the command is idempotent and resumable: after a
 *   crash, run it again and it continues with what is left.
 * - Blind indexes are untouched: they use their own key and the plain text does not change.
 * - Values that cannot be opened (their key is not configured, or they are corrupt) are reported by
 *   row key and skipped; nothing else is logged (never a value).
 */
import { keyIdOf, type FieldCipher } from "@clinigraph/platform";
import type { PrismaClient } from "./prisma.js";

export interface SealedTable {
  table: string;
  /** Primary key column and its SQL type (keyset pagination). */
  key: string;
  keyType: "uuid" | "text";
  /** Columns holding FieldCipher output (`v1.<kid>.…`), nullable or not. */
  columns: readonly string[];
}

/** Every column of the accounts schema that holds sealed values. A new one must be listed here (the rotation test checks). */
export const SEALED_COLUMNS: readonly SealedTable[] = [
  { table: "users", key: "id", keyType: "uuid", columns: ["email_enc", "phone_enc"] },
  { table: "patients", key: "id", keyType: "uuid", columns: ["national_id_enc"] },
  { table: "signing_keys", key: "kid", keyType: "text", columns: ["private_key_enc"] },
];

const SCHEMA = "accounts";

/** "table.column" → key id → number of values. */
export type KeyCensus = Record<string, Record<string, number>>;

/** How many sealed values each key id holds, per column (the dry run). */
export async function countValuesByKey(prisma: PrismaClient, tables: readonly SealedTable[] = SEALED_COLUMNS): Promise<KeyCensus> {
  const census: KeyCensus = {};
  for (const { table, columns } of tables) {
    for (const column of columns) {
      const rows = await prisma.$queryRawUnsafe<{ kid: string; n: number }[]>(
        `SELECT split_part("${column}", '.', 2) AS kid, count(*)::int AS n FROM "${SCHEMA}"."${table}" WHERE "${column}" IS NOT NULL GROUP BY 1 ORDER BY 1`,
      );
      census[`${table}.${column}`] = Object.fromEntries(rows.map((row) => [row.kid, row.n]));
    }
  }
  return census;
}

export interface RotationProgress {
  table: string;
  batch: number;
  /** Rows locked in this batch (each holds at least one value under another key). */
  rows: number;
  /** Values re-encrypted in this batch, and so far in this table. */
  rotated: number;
  rotatedInTable: number;
}

export interface RotationFailure {
  table: string;
  column: string;
  /** The row's primary key (a uuid or a signing key id: no PHI). */
  key: string;
  reason: "unknown-key" | "unreadable";
}

export interface RotationResult {
  activeKeyId: string;
  /** "table.column" → values re-encrypted. */
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
  afterLock?: (batch: { table: string; keys: string[] }) => Promise<void>;
  tables?: readonly SealedTable[];
}

export async function rotateDataKeys(prisma: PrismaClient, cipher: FieldCipher, options: RotationOptions = {}): Promise<RotationResult> {
  const batchSize = options.batchSize ?? 500;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000) throw new Error("batchSize must be a whole number from 1 to 10000");
  const lockTimeoutMs = options.lockTimeoutMs ?? 30_000;
  const active = cipher.activeKeyId;
  const result: RotationResult = { activeKeyId: active, rotated: {}, total: 0, changedConcurrently: 0, failures: [] };

  for (const spec of options.tables ?? SEALED_COLUMNS) {
    const { table, key, keyType, columns } = spec;
    for (const column of columns) result.rotated[`${table}.${column}`] = 0;
    const stale = columns.map((c) => `split_part("${c}", '.', 2) <> $2`).join(" OR ");
    const select =
      `SELECT "${key}"::text AS key, ${columns.map((c) => `"${c}"`).join(", ")} FROM "${SCHEMA}"."${table}" ` +
      `WHERE ($1::${keyType} IS NULL OR "${key}" > $1::${keyType}) AND (${stale}) ORDER BY "${key}" LIMIT $3 FOR UPDATE`;
    let cursor: string | null = null;
    let batch = 0;
    let rotatedInTable = 0;
    for (;;) {
      const outcome = await prisma.$transaction(
        async (tx) => {
          await tx.$executeRawUnsafe(`SET LOCAL lock_timeout = ${Math.max(1, Math.floor(lockTimeoutMs))}`);
          const rows = await tx.$queryRawUnsafe<Record<string, string | null>[]>(select, cursor, active, batchSize);
          if (rows.length === 0) return null;
          const keys = rows.map((row) => row.key!);
          await options.afterLock?.({ table, keys });
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
                result.failures.push({ table, column, key: row.key!, reason: reopened.reason });
                continue;
              }
              ids.push(row.key!);
              olds.push(sealed);
              news.push(reopened);
            }
            if (ids.length === 0) continue;
            // Compare-and-set: only where the value is still the one this batch read and re-encrypted.
            const updated = await tx.$executeRawUnsafe(
              `UPDATE "${SCHEMA}"."${table}" AS t SET "${column}" = v.new_value ` +
                `FROM unnest($1::${keyType}[], $2::text[], $3::text[]) AS v(key, old_value, new_value) ` +
                `WHERE t."${key}" = v.key AND t."${column}" = v.old_value`,
              ids,
              olds,
              news,
            );
            result.changedConcurrently += ids.length - updated;
            result.rotated[`${table}.${column}`]! += updated;
            rotated += updated;
          }
          return { keys, rotated };
        },
        { maxWait: lockTimeoutMs, timeout: lockTimeoutMs + 60_000 },
      );
      if (!outcome) break;
      batch += 1;
      rotatedInTable += outcome.rotated;
      result.total += outcome.rotated;
      cursor = outcome.keys.at(-1)!;
      options.onProgress?.({ table, batch, rows: outcome.keys.length, rotated: outcome.rotated, rotatedInTable });
    }
  }
  return result;
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
