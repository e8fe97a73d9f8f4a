/**
 * The audit log (append-only table accounts.audit_log): who read which patient's record, and who took
 * privileged actions, with the request id. Written in the request that did it; read by admins, and by
 * patients for their own record. Reads in other subgraphs arrive as `PatientRecordAccessed` events
 * (events/consumers/auditProjection.ts) and land here too, under the id the reading subgraph gave them.
 */
import { randomUUID } from "node:crypto";
import type { PatientRecordAccessedData, StaffActionRecordedData } from "@clinigraph/events";
import type { Identity, Role } from "@clinigraph/platform";
import type { AuditStore } from "../domain/ports.js";
import type { AuditAction, AuditFilter, AuditRecord, AuditTarget } from "../domain/types.js";
import type { PrismaClient } from "./prisma.js";

export class AuditLog implements AuditStore {
  constructor(private readonly db: PrismaClient) {}

  async record(actor: Identity, action: AuditAction, patientIds: readonly (string | null)[] = [null], target?: AuditTarget): Promise<void> {
    if (patientIds.length === 0) return;
    await this.db.auditEntry.createMany({
      data: patientIds.map((patientId) => ({
        id: randomUUID(),
        actorId: actor.userId,
        actorRole: actor.role,
        action,
        patientId,
        requestId: actor.requestId,
        targetType: target?.type ?? null,
        targetId: target?.id ?? null,
      })),
    });
  }

  async recordStaffActions(actions: readonly StaffActionRecordedData[]): Promise<number> {
    if (actions.length === 0) return 0;
    const { count } = await this.db.auditEntry.createMany({
      data: actions.map((action) => ({
        id: action.actionId,
        at: new Date(action.at),
        actorId: action.actorId,
        actorRole: action.actorRole,
        action: action.action,
        patientId: action.patientId,
        requestId: action.requestId,
        targetType: action.targetType,
        targetId: action.targetId,
        staffWrite: true,
      })),
      skipDuplicates: true,
    });
    return count;
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
  async list(filter: AuditFilter, before: bigint | null, limit: number): Promise<AuditRecord[]> {
    const { readsOnly, ...columns } = filter;
    const rows = await this.db.auditEntry.findMany({
      where: { ...columns, ...(readsOnly ? { staffWrite: false } : {}), ...(before !== null ? { seq: { lt: before } } : {}) },
      orderBy: { seq: "desc" },
      take: limit,
    });
    // actor_role holds the Role of whoever acted (accounts' own entries and other subgraphs' reports alike).
    return rows.map(({ staffWrite: _staffWrite, ...row }) => ({ ...row, actorRole: row.actorRole as Role | null }));
  }
}
