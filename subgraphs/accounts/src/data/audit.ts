/**
 * The audit log (append-only table accounts.audit_log): who read which patient's record, and who took
 * privileged actions, with the request id. Written in the request that did it; read by admins, and by
 * patients for their own record. Reads in other subgraphs arrive as `PatientRecordAccessed` events
 * (events/auditProjection.ts) and land here too, under the id the reading subgraph gave them.
 */
import { randomUUID } from "node:crypto";
import type { PatientRecordAccessedData } from "@clinigraph/events";
import type { Identity } from "@clinigraph/platform";
import type { PrismaClient } from "./prisma.js";

export type AuditAction = "PATIENT_RECORD_READ" | "NATIONAL_ID_READ" | "NATIONAL_ID_SET" | "STAFF_USER_CREATED" | "PASSWORD_CHANGED";

export interface AuditRecord {
  id: string;
  seq: bigint;
  at: Date;
  actorId: string | null;
  actorRole: string | null;
  action: string;
  patientId: string | null;
  requestId: string | null;
}

export class AuditLog {
  constructor(private readonly db: PrismaClient) {}

  async record(actor: Identity, action: AuditAction, patientIds: readonly (string | null)[] = [null]): Promise<void> {
    if (patientIds.length === 0) return;
    await this.db.auditEntry.createMany({
      data: patientIds.map((patientId) => ({ id: randomUUID(), actorId: actor.userId, actorRole: actor.role, action, patientId, requestId: actor.requestId })),
    });
  }

  /** A read another subgraph reported; its access id makes redelivery a no-op. Returns false when already there. */
  async recordAccess(access: PatientRecordAccessedData): Promise<boolean> {
    const { count } = await this.db.auditEntry.createMany({
      data: [
        {
          id: access.accessId,
          at: new Date(access.at),
          actorId: access.actorId,
          actorRole: access.actorRole,
          action: access.action,
          patientId: access.patientId,
          requestId: access.requestId,
        },
      ],
      skipDuplicates: true,
    });
    return count === 1;
  }

  /** Newest first; `before` is the seq of the last entry of the previous page. */
  list(filter: { patientId?: string; actorId?: string }, before: bigint | null, limit: number): Promise<AuditRecord[]> {
    return this.db.auditEntry.findMany({
      where: { ...filter, ...(before !== null ? { seq: { lt: before } } : {}) },
      orderBy: { seq: "desc" },
      take: limit,
    });
  }
}
