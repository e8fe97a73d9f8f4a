/**
 * Patients' data exports (accounts.data_exports). The document is PHI: sealed with the FieldCipher on the way in
 * (`json_enc`, ADR 0003; re-encrypted by `pnpm phi:rotate`) and opened only by `readDocument`, so listing or polling
 * an export never decrypts it. Workers claim PENDING rows with FOR UPDATE SKIP LOCKED and a claim token: only the
 * holder of the current claim completes or fails an export.
 */
import { randomUUID } from "node:crypto";
import { isUuid, sqlStateOf, SQLSTATE, type FieldCipher, type Role } from "@clinigraph/platform";
import type { ClaimedExport, DataExportRecord, DataExportStatus, DataExportStore } from "../domain/dataExport.js";
import type { PrismaClient } from "./prisma.js";

const RECORD_COLUMNS = {
  id: true,
  patientId: true,
  requestedBy: true,
  requestedRole: true,
  status: true,
  requestedAt: true,
  attempts: true,
  readyAt: true,
  expiresAt: true,
  failedAt: true,
} as const;

type Row = { [K in keyof typeof RECORD_COLUMNS]: K extends "requestedRole" | "status" ? string : DataExportRecord[K] };

const toRecord = (row: Row): DataExportRecord => ({ ...row, requestedRole: row.requestedRole as Role, status: row.status as DataExportStatus });

export class DataExportRepository implements DataExportStore {
  constructor(
    private readonly db: PrismaClient,
    private readonly cipher: FieldCipher,
  ) {}

  async create(input: { patientId: string; requestedBy: string; requestedRole: Role; at: Date }): Promise<DataExportRecord | null> {
    try {
      const row = await this.db.dataExport.create({
        data: {
          id: randomUUID(),
          patientId: input.patientId,
          requestedBy: input.requestedBy,
          requestedRole: input.requestedRole,
          status: "PENDING",
          requestedAt: input.at,
          nextAttemptAt: input.at,
        },
        select: RECORD_COLUMNS,
      });
      return toRecord(row);
    } catch (err) {
      // The one-pending-per-patient index: the patient has a PENDING export already.
      if (sqlStateOf(err) === SQLSTATE.UNIQUE_VIOLATION) return null;
      throw err;
    }
  }

  async findById(id: string): Promise<DataExportRecord | null> {
    if (!isUuid(id)) return null;
    const row = await this.db.dataExport.findUnique({ where: { id }, select: RECORD_COLUMNS });
    return row ? toRecord(row) : null;
  }

  async findPending(patientId: string): Promise<DataExportRecord | null> {
    const row = await this.db.dataExport.findFirst({ where: { patientId, status: "PENDING" }, select: RECORD_COLUMNS });
    return row ? toRecord(row) : null;
  }

  countRequestedSince(patientId: string, since: Date): Promise<number> {
    return this.db.dataExport.count({ where: { patientId, requestedAt: { gte: since } } });
  }

  async claim(now: Date, staleBefore: Date, limit: number): Promise<ClaimedExport[]> {
    const token = randomUUID();
    // One statement: the rows are locked while they are chosen (others skip them) and claimed before the locks go.
    const rows = await this.db.$queryRaw<{ id: string; patient_id: string; attempts: number }[]>`
      UPDATE accounts.data_exports
         SET claimed_at = ${now}, claim_token = ${token}::uuid, attempts = attempts + 1
       WHERE id IN (
         SELECT id FROM accounts.data_exports
          WHERE status = 'PENDING' AND next_attempt_at <= ${now}
            AND (claimed_at IS NULL OR claimed_at < ${staleBefore})
          ORDER BY requested_at
          LIMIT ${limit}
          FOR UPDATE SKIP LOCKED)
      RETURNING id, patient_id, attempts`;
    return rows.map((row) => ({ id: row.id, patientId: row.patient_id, attempts: row.attempts, claimToken: token }));
  }

  async complete(claim: ClaimedExport, document: string, readyAt: Date, expiresAt: Date): Promise<boolean> {
    const { count } = await this.db.dataExport.updateMany({
      where: { id: claim.id, status: "PENDING", claimToken: claim.claimToken },
      data: { status: "READY", jsonEnc: this.cipher.encrypt(document), readyAt, expiresAt, claimedAt: null, claimToken: null, lastError: null },
    });
    return count === 1;
  }

  async fail(claim: ClaimedExport, error: string, now: Date, retryAt: Date | null): Promise<boolean> {
    const { count } = await this.db.dataExport.updateMany({
      where: { id: claim.id, status: "PENDING", claimToken: claim.claimToken },
      data: retryAt
        ? { lastError: error, claimedAt: null, claimToken: null, nextAttemptAt: retryAt }
        : { status: "FAILED", lastError: error, claimedAt: null, claimToken: null, failedAt: now },
    });
    return count === 1;
  }

  async readDocument(id: string): Promise<string | null> {
    if (!isUuid(id)) return null;
    const row = await this.db.dataExport.findUnique({ where: { id }, select: { status: true, jsonEnc: true } });
    return row?.status === "READY" && row.jsonEnc ? this.cipher.decrypt(row.jsonEnc) : null;
  }

  async purgeExpired(now: Date): Promise<number> {
    const { count } = await this.db.dataExport.updateMany({
      where: { status: "READY", expiresAt: { lte: now }, jsonEnc: { not: null } },
      data: { jsonEnc: null, purgedAt: now },
    });
    return count;
  }
}
