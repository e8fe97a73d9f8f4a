/**
 * Audit of reads (ARCHITECTURE §6: every read of PHI is audit-logged): when someone other than the patient
 * reads a patient's clinical record — the patient card, an encounter's record entries, clinical notes —
 * clinical writes a `PatientRecordAccessed` event to its outbox; accounts keeps it in its append-only audit
 * log, where admins query it and the patient sees who read their record (`myRecordAccess`). As scheduling's
 * (subgraphs/scheduling/src/data/accessAudit.ts): the answer waits for the write (a read that cannot be
 * audited fails); reads made in the same tick are one insert, one event per patient and action, and a
 * request records each (patient, action) once.
 */
import { randomUUID } from "node:crypto";
import type { PatientRecordAccessedData } from "@clinigraph/events";
import type { Identity } from "@clinigraph/platform";
import { OUTBOX_CHANNEL } from "../events/outbox.js";
import type { PrismaClient } from "./prisma.js";

/** The patient card (`patientCard`). */
export const PATIENT_CARD_READ = "PATIENT_CARD_READ";
/** Record entries or clinical text of an encounter (`Encounter.records`, summaries, results). */
export const CLINICAL_RECORD_READ = "CLINICAL_RECORD_READ";

export interface ReadRecorder {
  /** Records the caller's read of these patients' records (the caller's own record is skipped). */
  record(action: string, patientIds: readonly string[]): Promise<void>;
}

export function createReadRecorder(
  prisma: Pick<PrismaClient, "outboxEvent" | "$executeRaw">,
  identity: Identity,
  clock: () => Date = () => new Date(),
): ReadRecorder {
  /** "action patientId" → the write that records it (once per request). */
  const recorded = new Map<string, Promise<void>>();
  let pending: { action: string; patientId: string }[] | undefined;
  let flushed: Promise<void> | undefined;
  const flush = async (reads: { action: string; patientId: string }[]) => {
    const at = clock().toISOString();
    const rows = reads.map(({ action, patientId }) => {
      const data: PatientRecordAccessedData = {
        accessId: randomUUID(),
        patientId,
        actorId: identity.userId!,
        actorRole: identity.role!,
        action,
        requestId: identity.requestId ?? null,
        at,
      };
      return { id: randomUUID(), aggregateId: data.accessId, type: "PatientRecordAccessed", payload: { ...data }, occurredAt: new Date(at) };
    });
    await prisma.outboxEvent.createMany({ data: rows });
    await prisma.$executeRaw`SELECT pg_notify(${OUTBOX_CHANNEL}, '')`;
  };
  return {
    record(action, patientIds) {
      if (!identity.userId || !identity.role) return Promise.resolve();
      const writes = new Set<Promise<void>>();
      for (const patientId of patientIds) {
        if (patientId === identity.userId) continue;
        const key = `${action} ${patientId}`;
        let write = recorded.get(key);
        if (!write) {
          if (!pending) {
            const batch: { action: string; patientId: string }[] = (pending = []);
            flushed = new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
              pending = undefined;
              return flush(batch);
            });
          }
          pending.push({ action, patientId });
          recorded.set(key, (write = flushed!));
        }
        writes.add(write);
      }
      return Promise.all(writes).then(() => undefined);
    },
  };
}
