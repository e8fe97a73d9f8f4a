/**
 * The data-export worker on real PostgreSQL: two instances claim with FOR UPDATE SKIP LOCKED and assemble each export
 * once; a claim whose worker died is taken again once stale (a restart resumes PENDING exports); failures are retried
 * with a pause and end FAILED without internals; documents are sealed at rest, expire and are dropped.
 * The other subgraphs' parts come from in-process sources here (the real clients are exercised end to end in
 * tests/e2e/data-export.e2e.test.ts); everything of accounts is real.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { createLogger, fieldCipherFromEnv, type Role } from "@clinigraph/platform";
import { callSubgraph, createTestDatabase, queryDatabase, testEnv, uniqueEmail, type TestDatabase } from "@clinigraph/testing";
import { buildAccountsServer, createPrisma, type AccountsServer } from "../src/index.js";
import { DataExportRepository } from "../src/data/dataExportRepository.js";
import {
  DEFAULT_DATA_EXPORT_SETTINGS,
  EXPORT_FAILURE_REASON,
  readDataExportDocument,
  requestMyDataExport,
  runDataExportPass,
  type ExportWorkerDeps,
  type PatientDataSource,
} from "../src/domain/dataExport.js";
import type { Actor } from "../src/domain/types.js";

const SETTINGS = { ...DEFAULT_DATA_EXPORT_SETTINGS, maxPerDay: 100, maxAttempts: 3, retryBackoffMs: 60_000, staleClaimMs: 10 * 60_000 };
const clock = { now: new Date("2027-05-03T10:00:00Z") };
const logger = createLogger("accounts-export-test", "silent");

let db: TestDatabase;
let server: AccountsServer;
let url: string;
let close: () => Promise<void>;
/** A second accounts instance's view of the same table (its own pool). */
let secondPrisma: ReturnType<typeof createPrisma>;
let secondStore: DataExportRepository;

beforeAll(async () => {
  db = await createTestDatabase(["accounts"]);
  const env = testEnv(db.url);
  const prisma = createPrisma(db.url);
  const cipher = fieldCipherFromEnv(env);
  server = await buildAccountsServer({
    config: {
      routerSecrets: env.CLINIGRAPH_ROUTER_SECRETS.split(","),
      accessTokenTtlSeconds: 600,
      refreshTokenTtlDays: 30,
      admin: null,
      exposeInternalErrors: false,
    },
    prisma,
    cipher,
    logger,
    clock: () => clock.now,
    dataExportSettings: SETTINGS,
  });
  const running = await server.listen(0);
  url = running.url;
  secondPrisma = createPrisma(db.url);
  secondStore = new DataExportRepository(secondPrisma, cipher);
  close = async () => {
    await running.close();
    await prisma.$disconnect();
    await secondPrisma.$disconnect();
    await db.drop();
  };
});

afterAll(async () => {
  await close?.();
});

async function newPatient(name: string): Promise<Actor> {
  const user = await server.users.create({
    role: "PATIENT",
    name,
    email: uniqueEmail("export"),
    phone: null,
    passwordHash: "not-a-hash",
    patient: { dateOfBirth: null, gender: null },
  });
  return { userId: user.id, role: "PATIENT" as Role, requestId: "test" };
}

/** A source standing for another subgraph: counts what it was asked, per patient, and fails while told to. */
function countingSource(options: { delayMs?: number; failWith?: () => Error | null } = {}) {
  const asked: string[] = [];
  const source: PatientDataSource = {
    part: "scheduling",
    async collect(patient) {
      asked.push(patient.userId);
      expect(patient.role).toBe("PATIENT");
      if (options.delayMs) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
      const failure = options.failWith?.();
      if (failure) throw failure;
      return { appointments: [{ id: `appointment-of-${patient.userId}` }] };
    },
  };
  return { asked, source };
}

const workerDeps = (sources: PatientDataSource[], dataExports = server.deps.dataExports): ExportWorkerDeps => ({
  ...server.deps,
  dataExports,
  logger,
  sources,
});

const rowOf = async (id: string) =>
  (
    await queryDatabase<{ status: string; attempts: number; json_enc: string | null; last_error: string | null; claimed_at: Date | null }>(
      db.url,
      "SELECT status, attempts, json_enc, last_error, claimed_at FROM accounts.data_exports WHERE id = $1",
      [id],
    )
  )[0]!;

describe("data-export worker", () => {
  it("two instances claiming at once assemble every export exactly once", async () => {
    const patients = await Promise.all(Array.from({ length: 6 }, (_, i) => newPatient(`Twice Nobody ${i}`)));
    const exports = await Promise.all(patients.map((p) => requestMyDataExport(server.deps, p)));
    const { asked, source } = countingSource({ delayMs: 30 });
    const first = workerDeps([source]);
    const second = workerDeps([source], secondStore);
    // Each instance takes one export a pass, until there is none left: they race for every one.
    const drain = async (deps: ExportWorkerDeps) => {
      let taken = 0;
      while ((await runDataExportPass(deps, 1)) > 0) taken++;
      return taken;
    };
    const claimed = await Promise.all([drain(first), drain(second)]);
    expect(claimed[0]! + claimed[1]!).toBe(6);
    expect([...asked].sort()).toEqual(patients.map((p) => p.userId).sort());
    for (const e of exports) expect((await rowOf(e.id)).status).toBe("READY");
    // Nothing left to claim.
    expect(await runDataExportPass(second, 10)).toBe(0);
  });

  it("stores the document sealed: the row holds no clear text, the patient reads it (audited)", async () => {
    const patient = await newPatient("Sealed Susanne");
    const requested = await requestMyDataExport(server.deps, patient);
    await runDataExportPass(workerDeps([countingSource().source]), 10);
    const row = await rowOf(requested.id);
    expect(row.json_enc).toMatch(/^v1\./);
    expect(row.json_enc).not.toContain("Sealed Susanne");
    const record = (await server.deps.dataExports.findById(requested.id))!;
    const document = JSON.parse((await readDataExportDocument(server.deps, patient, record))!) as { profile: { name: string }; scheduling: unknown };
    expect(document.profile.name).toBe("Sealed Susanne");
    expect(document.scheduling).toEqual({ appointments: [{ id: `appointment-of-${patient.userId}` }] });
    const actions = await queryDatabase<{ action: string }>(db.url, "SELECT action FROM accounts.audit_log WHERE patient_id = $1 ORDER BY seq", [
      patient.userId,
    ]);
    expect(actions.map((a) => a.action)).toEqual(["DATA_EXPORT_REQUESTED", "DATA_EXPORT_READ"]);
  });

  it("a claim whose worker died is left alone until stale, then taken again (a restart resumes)", async () => {
    const patient = await newPatient("Resumed Rita");
    const requested = await requestMyDataExport(server.deps, patient);
    // A worker claims it and dies before finishing (the claim stays).
    const [dead] = await server.deps.dataExports.claim(clock.now, new Date(clock.now.getTime() - SETTINGS.staleClaimMs), 10);
    expect(dead?.id).toBe(requested.id);
    const { asked, source } = countingSource();
    expect(await runDataExportPass(workerDeps([source]), 10)).toBe(0);
    const started = clock.now;
    clock.now = new Date(started.getTime() + SETTINGS.staleClaimMs + 1_000);
    try {
      expect(await runDataExportPass(workerDeps([source], secondStore), 10)).toBe(1);
    } finally {
      clock.now = started;
    }
    expect(asked).toEqual([patient.userId]);
    expect(await rowOf(requested.id)).toMatchObject({ status: "READY", attempts: 2, claimed_at: null });
    // The dead worker's late answer is not stored over it.
    expect(await server.deps.dataExports.complete(dead!, "{}", clock.now, clock.now)).toBe(false);
    expect(await server.deps.dataExports.fail(dead!, "late", clock.now, null)).toBe(false);
    expect((await rowOf(requested.id)).status).toBe("READY");
  });

  it("retries a failing export after a pause and ends FAILED after the last attempt, without internals for the patient", async () => {
    const patient = await newPatient("Failing Fritz");
    const requested = await requestMyDataExport(server.deps, patient);
    const { asked, source } = countingSource({ failWith: () => new Error("connect ECONNREFUSED 10.0.0.7:4005 (internal)") });
    const deps = workerDeps([source]);
    const started = clock.now;
    try {
      for (let attempt = 1; attempt <= SETTINGS.maxAttempts; attempt++) {
        expect(await runDataExportPass(deps, 10)).toBe(1);
        expect(await runDataExportPass(deps, 10)).toBe(0); // not again before the pause is over
        clock.now = new Date(clock.now.getTime() + SETTINGS.retryBackoffMs * attempt + 1);
      }
      expect(await runDataExportPass(deps, 10)).toBe(0);
    } finally {
      clock.now = started;
    }
    expect(asked).toEqual([patient.userId, patient.userId, patient.userId]);
    const row = await rowOf(requested.id);
    expect(row).toMatchObject({ status: "FAILED", attempts: 3 });
    expect(row.last_error).toContain("ECONNREFUSED");
    const answer = await callSubgraph<{ dataExport: { status: string; attempts: number; failureReason: string; json: string | null } }>(
      url,
      "query($id: ID!) { dataExport(id: $id) { status attempts failureReason json } }",
      { id: requested.id },
      patient,
    );
    expect(answer.data?.dataExport).toEqual({ status: "FAILED", attempts: 3, failureReason: EXPORT_FAILURE_REASON, json: null });
    expect(JSON.stringify(answer)).not.toContain("ECONNREFUSED");
    // A new request may follow a failed one.
    expect((await requestMyDataExport(server.deps, patient)).id).not.toBe(requested.id);
  });

  it("an export past its expiry shows no document, and the purge drops it", async () => {
    const patient = await newPatient("Expiring Erna");
    const requested = await requestMyDataExport(server.deps, patient);
    await runDataExportPass(workerDeps([countingSource().source]), 10);
    const record = (await server.deps.dataExports.findById(requested.id))!;
    expect(record.expiresAt!.getTime() - record.readyAt!.getTime()).toBe(SETTINGS.ttlMs);
    const started = clock.now;
    clock.now = new Date(record.expiresAt!.getTime() + 1);
    try {
      expect(await readDataExportDocument(server.deps, patient, record)).toBeNull();
      expect(await server.deps.dataExports.purgeExpired(clock.now)).toBeGreaterThanOrEqual(1);
    } finally {
      clock.now = started;
    }
    expect((await rowOf(requested.id)).json_enc).toBeNull();
    expect(await server.deps.dataExports.readDocument(requested.id)).toBeNull();
  });

  it("an export of an account that no longer exists fails at once, not retried", async () => {
    const patient = await newPatient("Gone Gustav");
    const requested = await requestMyDataExport(server.deps, patient);
    await queryDatabase(db.url, "DELETE FROM accounts.users WHERE id = $1", [patient.userId]);
    expect(await runDataExportPass(workerDeps([countingSource().source]), 10)).toBe(1);
    expect(await rowOf(requested.id)).toMatchObject({ status: "FAILED", attempts: 1 });
  });
});
