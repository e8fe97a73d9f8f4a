/**
 * PHI key rotation on real PostgreSQL: values written under k1, active key switched to k2, then
 * `rotateDataKeys` in small batches — resumable after a crash, no stale overwrite of a concurrent
 * application write, a no-op when run again, and the old key can then be dropped. The command covers
 * every subgraph schema: accounts' values come from its repositories, scheduling's sealed free text is
 * seeded here in SQL (subgraphs/scheduling/tests/phiAtRest.int.test.ts rotates it through the API).
 */
import { randomUUID } from "node:crypto";
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import pg from "pg";
import { REPO_ROOT, createFieldCipher, createSqlPool, generateKey, keyIdOf, type FieldCipher } from "@clinigraph/platform";
import { SEALED_COLUMNS, countValuesByKey, rotateDataKeys, type RotationProgress } from "@clinigraph/platform/rotate";
import { createTestDatabase, uniqueEmail, type TestDatabase } from "@clinigraph/testing";
import { createPrisma } from "../src/index.js";
import type { PrismaClient } from "../src/data/prisma.js";
import { loadOrCreateSigningKeys } from "../src/data/signingKeys.js";
import { UserRepository } from "../src/data/userRepository.js";
import type { UserRecord } from "../src/domain/types.js";

const k1 = generateKey();
const k2 = generateKey();
const blind = generateKey();
const cipherOf = (keys: Record<string, string>, activeKeyId: string): FieldCipher =>
  createFieldCipher({
    keys: Object.fromEntries(Object.entries(keys).map(([kid, b64]) => [kid, Buffer.from(b64, "base64")])),
    activeKeyId,
    blindIndexKey: Buffer.from(blind, "base64"),
  });
const before = cipherOf({ k1 }, "k1");
const after = cipherOf({ k1, k2 }, "k2");
const k2Only = cipherOf({ k2 }, "k2");

let db: TestDatabase;
let prisma: PrismaClient;
let sql: pg.Client;
let pool: pg.Pool;
const originals = new Map<string, UserRecord>();
let signingKid: string;
let blindIndexesBefore: unknown[];
/** Values left under k1 by the interrupted run. */
let leftAfterCrash: Record<string, number>;

const PATIENTS = 7;
const STAFF = 2;
/** Scheduling's sealed free text: one appointment reason each, one feedback comment, two change reasons. */
const APPOINTMENTS = 3;
const schedulingPlain = new Map<string, string>();
const clinicalPlain = new Map<string, string>();

beforeAll(async () => {
  db = await createTestDatabase(); // every subgraph schema: the command must know all their sealed columns
  prisma = createPrisma(db.url);
  sql = new pg.Client({ connectionString: db.url });
  await sql.connect();
  pool = createSqlPool(db.url, { max: 3 });
  const users = new UserRepository(prisma, before);
  for (let i = 0; i < PATIENTS; i++) {
    const user = await users.create({
      role: "PATIENT",
      name: `Rota Patient ${i}`,
      email: uniqueEmail(`rota${i}`),
      phone: i % 2 === 0 ? `+4930555000${i}` : null,
      passwordHash: "x",
      patient: { dateOfBirth: null, gender: null, nationalId: i < 5 ? { display: `RT-${1000 + i}`, compact: `RT${1000 + i}` } : null },
    });
    originals.set(user.id, user);
  }
  for (let i = 0; i < STAFF; i++) {
    const user = await users.create({ role: "RECEPTIONIST", name: `Rota Staff ${i}`, email: uniqueEmail("rota.staff"), phone: null, passwordHash: "x" });
    originals.set(user.id, user);
  }
  signingKid = (await loadOrCreateSigningKeys(prisma, before)).kid;
  for (let i = 0; i < APPOINTMENTS; i++) {
    const id = randomUUID();
    const reason = `Rota reason ${i}`;
    const comment = i === 0 ? `Rota comment ${i}` : null;
    await sql.query(
      `INSERT INTO scheduling.appointments (id, patient_id, doctor_id, starts_at, ends_at, status, reason_enc, feedback_comment_enc, created_at, updated_at)
       VALUES ($1, $2, $3, now() + make_interval(days => $4), now() + make_interval(days => $4, mins => 30), 'BOOKED', $5, $6, now(), now())`,
      [id, randomUUID(), randomUUID(), i + 1, before.encrypt(reason), comment && before.encrypt(comment)],
    );
    schedulingPlain.set(`appointments.reason_enc.${id}`, reason);
    if (comment) schedulingPlain.set(`appointments.feedback_comment_enc.${id}`, comment);
    if (i < 2) {
      const changeId = randomUUID();
      await sql.query(
        "INSERT INTO scheduling.appointment_changes (id, appointment_id, at, action, to_status, reason_enc) VALUES ($1, $2, now(), 'REQUEST', 'BOOKED', $3)",
        [changeId, id, before.encrypt(reason)],
      );
      schedulingPlain.set(`appointment_changes.reason_enc.${changeId}`, reason);
    }
  }
  // Clinical: an encounter with its summary, an examination result, and a SIGNED record version (immutable
  // to everything but rotation, which may re-seal its *_enc columns).
  const encounterId = randomUUID();
  const summary = "Rota summary";
  await sql.query(
    `INSERT INTO clinical.encounters (id, patient_id, doctor_id, doctor_user_id, status, arrived_at, ended_at, summary_enc, updated_at)
     VALUES ($1, $2, $3, $4, 'FINISHED', now(), now(), $5, now())`,
    [encounterId, randomUUID(), randomUUID(), randomUUID(), before.encrypt(summary)],
  );
  clinicalPlain.set(`encounters.summary_enc.${encounterId}`, summary);
  const examinationId = randomUUID();
  await sql.query(
    `INSERT INTO clinical.examinations (id, encounter_id, patient_id, service_id, status, ordered_at, ordered_by, performed_at, result_enc, updated_at)
     VALUES ($1, $2, $3, $4, 'PERFORMED', now(), $5, now(), $6, now())`,
    [examinationId, encounterId, randomUUID(), randomUUID(), randomUUID(), before.encrypt("Rota result")],
  );
  clinicalPlain.set(`examinations.result_enc.${examinationId}`, "Rota result");
  const entryId = randomUUID();
  const versionId = randomUUID();
  await sql.query("INSERT INTO clinical.record_entries (id, patient_id, author_id, current_version, created_at) VALUES ($1, $2, $3, 1, now())", [
    entryId,
    randomUUID(),
    randomUUID(),
  ]);
  await sql.query(
    `INSERT INTO clinical.record_versions (id, entry_id, version, status, complaints_enc, diagnosis_code, diagnosis_enc, author_id, created_at, updated_at, signed_at)
     VALUES ($1, $2, 1, 'SIGNED', $3, 'J06.9', $4, $5, now(), now(), now())`,
    [versionId, entryId, before.encrypt("Rota complaints"), before.encrypt("Rota diagnosis"), randomUUID()],
  );
  clinicalPlain.set(`record_versions.complaints_enc.${versionId}`, "Rota complaints");
  clinicalPlain.set(`record_versions.diagnosis_enc.${versionId}`, "Rota diagnosis");
  blindIndexesBefore = (
    await sql.query("SELECT u.id, email_hash, phone_hash, national_id_hash FROM accounts.users u LEFT JOIN accounts.patients p USING (id) ORDER BY u.id")
  ).rows;
});

afterAll(async () => {
  await sql?.end();
  await pool?.end();
  await prisma?.$disconnect();
  await db?.drop();
});

/** Waits until some other session of this database waits for a row lock, or `write` is done (it did not have to wait). */
async function waitForLockOr(write: Promise<unknown>) {
  let done = false;
  const finish = () => (done = true);
  write.then(finish, finish);
  for (let i = 0; i < 200 && !done; i++) {
    const { rows } = await sql.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()",
    );
    if (rows[0]!.n > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const runCli = (...args: string[]) =>
  promisify(execFile)(process.execPath, ["--import", "tsx", path.join(REPO_ROOT, "scripts/phi-rotate.ts"), ...args], {
    cwd: REPO_ROOT,
    env: {
      PATH: process.env.PATH,
      DATABASE_URL: db.url,
      CLINIGRAPH_DATA_KEYS: `k1:${k1},k2:${k2}`,
      CLINIGRAPH_DATA_KEY_ACTIVE: "k2",
      CLINIGRAPH_BLIND_INDEX_KEY: blind,
    },
  });

describe("PHI key rotation", () => {
  it("knows every sealed column of every subgraph schema, and counts values per key id (dry run)", async () => {
    const { rows } = await sql.query<{ name: string }>(
      `SELECT table_schema || '.' || table_name || '.' || column_name AS name FROM information_schema.columns
        WHERE table_schema NOT IN ('pg_catalog', 'information_schema') AND column_name LIKE '%\\_enc' ORDER BY 1`,
    );
    expect(rows.map((r) => r.name)).toEqual(SEALED_COLUMNS.flatMap((t) => t.columns.map((c) => `${t.schema}.${t.table}.${c}`)).sort());
    expect(rows.map((r) => r.name)).toEqual(
      expect.arrayContaining([
        "scheduling.appointments.reason_enc",
        "scheduling.appointments.feedback_comment_enc",
        "scheduling.appointment_changes.reason_enc",
      ]),
    );
    expect(await countValuesByKey(pool)).toEqual({
      "accounts.users.email_enc": { k1: PATIENTS + STAFF },
      "accounts.users.phone_enc": { k1: 4 },
      "accounts.patients.national_id_enc": { k1: 5 },
      "accounts.signing_keys.private_key_enc": { k1: 1 },
      "accounts.data_exports.json_enc": {},
      "accounts.email_changes.new_email_enc": {},
      "scheduling.appointments.reason_enc": { k1: APPOINTMENTS },
      "scheduling.appointments.feedback_comment_enc": { k1: 1 },
      "scheduling.appointment_changes.reason_enc": { k1: 2 },
      "scheduling.feedback_moderation.hidden_reason_enc": {},
      "clinical.encounters.summary_enc": { k1: 1 },
      "clinical.encounters.refusal_reason_enc": {},
      "clinical.examinations.result_enc": { k1: 1 },
      "clinical.examinations.cancel_reason_enc": {},
      "clinical.record_versions.complaints_enc": { k1: 1 },
      "clinical.record_versions.diagnosis_enc": { k1: 1 },
      "clinical.record_versions.prescriptions_enc": {},
      "clinical.record_versions.notes_enc": {},
      "clinical.record_versions.amend_reason_enc": {},
    });
    const { stdout } = await runCli("--dry-run");
    expect(stdout).toContain("dry run: 29 value(s) would be re-encrypted under k2");
    expect(stdout).toMatch(/accounts\.users\.email_enc\s+k1: 9/);
    expect(stdout).toMatch(/scheduling\.appointments\.reason_enc\s+k1: 3/);
    expect((await countValuesByKey(pool))["accounts.users.email_enc"]).toEqual({ k1: PATIENTS + STAFF });
    const { stdout: accountsOnly } = await runCli("--dry-run", "--schema", "accounts");
    expect(accountsOnly).toContain("dry run: 19 value(s) would be re-encrypted under k2");
    expect(accountsOnly).not.toContain("scheduling.");
  });

  it("stops on a failed batch with the committed batches kept, and resumes where it stopped", async () => {
    let batches = 0;
    const crash = rotateDataKeys(pool, after, {
      batchSize: 2,
      afterLock: async ({ table }) => {
        if (table === "users" && ++batches === 3) throw new Error("simulated crash");
      },
    });
    await expect(crash).rejects.toThrow("simulated crash");
    const census = await countValuesByKey(pool);
    expect(census["accounts.users.email_enc"]).toEqual({ k1: PATIENTS + STAFF - 4, k2: 4 });
    expect(census["accounts.patients.national_id_enc"]).toEqual({ k1: 5 });
    expect(census["scheduling.appointments.reason_enc"]).toEqual({ k1: APPOINTMENTS });
    leftAfterCrash = Object.fromEntries(Object.entries(census).map(([column, byKey]) => [column, byKey.k1 ?? 0]));
  });

  it("re-encrypts everything under the active key in batches, to the same plain text, without losing a concurrent update", async () => {
    const progress: RotationProgress[] = [];
    const app = new UserRepository(prisma, after);
    let concurrent: { id: string; update: Promise<unknown> } | undefined;
    const result = await rotateDataKeys(pool, after, {
      batchSize: 2,
      onProgress: (p) => progress.push(p),
      afterLock: async ({ table, keys }) => {
        if (table !== "patients" || concurrent) return;
        // Reception corrects a national id while the rotation holds this row: the write waits, then wins.
        const id = keys[0]!;
        concurrent = { id, update: app.setNationalId(id, { display: "RT-NEW 77", compact: "RTNEW77" }) };
        await waitForLockOr(concurrent.update);
      },
    });
    await concurrent!.update;

    expect(result.failures).toEqual([]);
    // What the interrupted run left, nothing more: rows already done are not selected again.
    expect(result.rotated).toEqual(leftAfterCrash);
    expect(progress.filter((p) => p.table === "users").map((p) => p.rows)).toEqual([2, 2, 1]);
    expect(progress.filter((p) => p.table === "patients").map((p) => p.rows)).toEqual([2, 2, 1]);
    expect(progress.filter((p) => p.schema === "scheduling").map((p) => [p.table, p.rows])).toEqual([
      ["appointments", 2],
      ["appointments", 1],
      ["appointment_changes", 2],
    ]);

    const census = await countValuesByKey(pool);
    for (const byKey of Object.values(census)) expect(Object.keys(byKey)).toEqual(Object.keys(byKey).length ? ["k2"] : []);
    for (const [where, plain] of clinicalPlain) {
      const [table, column, id] = where.split(".");
      const { rows } = await sql.query<{ sealed: string }>(`SELECT ${column} AS sealed FROM clinical.${table} WHERE id = $1`, [id]);
      expect(after.decrypt(rows[0]!.sealed)).toBe(plain);
    }
    // A signed version stays immutable outside rotation.
    await expect(sql.query("UPDATE clinical.record_versions SET diagnosis_code = 'X00' WHERE signed_at IS NOT NULL")).rejects.toThrow(/immutable/);
    for (const [where, plain] of schedulingPlain) {
      const [table, column, id] = where.split(".");
      const { rows } = await sql.query<{ sealed: string }>(`SELECT ${column} AS sealed FROM scheduling.${table} WHERE id = $1`, [id]);
      expect(k2Only.decrypt(rows[0]!.sealed)).toBe(plain);
    }

    // Only k2 is needed now: the same plain text comes back, the concurrent update included.
    const reader = new UserRepository(prisma, k2Only);
    for (const [id, original] of originals) {
      const now = await reader.findById(id);
      expect(now).toMatchObject({ email: original.email, phone: original.phone });
      expect(now!.patient?.nationalId ?? null).toBe(id === concurrent!.id ? "RT-NEW 77" : (original.patient?.nationalId ?? null));
    }
    expect((await loadOrCreateSigningKeys(prisma, k2Only)).kid).toBe(signingKid);

    // Blind indexes are untouched (except the id reception changed).
    const indexes = (
      await sql.query("SELECT u.id, email_hash, phone_hash, national_id_hash FROM accounts.users u LEFT JOIN accounts.patients p USING (id) ORDER BY u.id")
    ).rows;
    expect(indexes.filter((r: { id: string }) => r.id !== concurrent!.id)).toEqual(
      blindIndexesBefore.filter((r) => (r as { id: string }).id !== concurrent!.id),
    );
    const { rows } = await sql.query<{ national_id_enc: string }>("SELECT national_id_enc FROM accounts.patients WHERE id = $1", [concurrent!.id]);
    expect(keyIdOf(rows[0]!.national_id_enc)).toBe("k2");
  });

  it("is a no-op when run again", async () => {
    const progress: RotationProgress[] = [];
    const sealed = (await sql.query("SELECT email_enc, phone_enc FROM accounts.users ORDER BY id")).rows;
    const result = await rotateDataKeys(pool, after, { batchSize: 2, onProgress: (p) => progress.push(p) });
    expect(result.total).toBe(0);
    expect(progress).toEqual([]);
    expect((await sql.query("SELECT email_enc, phone_enc FROM accounts.users ORDER BY id")).rows).toEqual(sealed);
    const { stdout } = await runCli("--batch-size", "2");
    expect(stdout).toContain("nothing to re-encrypt: every value is under k2");
  });

  it("reports a value whose key is not configured by row id, leaves it, and exits non-zero", async () => {
    const lost = cipherOf({ k0: generateKey() }, "k0");
    const victim = [...originals.keys()][0]!;
    await sql.query("UPDATE accounts.users SET phone_enc = $1 WHERE id = $2", [lost.encrypt("+4930999999"), victim]);
    const result = await rotateDataKeys(pool, after, { batchSize: 2 });
    expect(result.failures).toEqual([{ schema: "accounts", table: "users", column: "phone_enc", key: victim, reason: "unknown-key" }]);
    expect(result.total).toBe(0);
    const cli = runCli();
    await expect(cli).rejects.toMatchObject({ code: 1 });
    const output = await cli.catch((err: { stdout: string; stderr: string }) => err);
    expect((output as { stderr: string }).stderr).toContain(`accounts.users.phone_enc ${victim}: its key is not in CLINIGRAPH_DATA_KEYS`);
    expect(JSON.stringify(output)).not.toContain("+4930999999");
  });
});
