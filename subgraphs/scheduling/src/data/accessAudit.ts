/**
 * Audit of reads: when someone other than the patient reads a patient's appointment (staff, the treating
 * doctor, an admin — by id, on a calendar, in a doctor's list, through `_entities` or on a live feed),
 * scheduling writes a `PatientRecordAccessed` event to its outbox; accounts keeps it in its append-only
 * audit log, where admins query it and the patient sees who read their record (`myRecordAccess`).
 *
 * The answer waits for the write (a read that cannot be audited fails). Reads made in the same tick are
 * batched into one insert, one entry per patient, so a calendar or an `_entities` batch costs one statement.
 */
import { randomUUID } from "node:crypto";
import type { PatientRecordAccessedData } from "@clinigraph/events";
import type { Identity } from "@clinigraph/platform";
import type { PrismaClient } from "./prisma.js";
import { OUTBOX_CHANNEL } from "../events/outbox.js";

export const APPOINTMENT_READ = "APPOINTMENT_READ";

export interface ReadRecorder {
  /** Records the caller's read of these appointments' patients (their own are skipped). */
  appointments(appointments: readonly ({ patientId: string } | null | undefined)[]): Promise<void>;
}

export function createReadRecorder(
  prisma: Pick<PrismaClient, "outboxEvent" | "$executeRaw">,
  identity: Identity,
  clock: () => Date = () => new Date(),
): ReadRecorder {
  let pending: Set<string> | undefined;
  let flushed: Promise<void> | undefined;
  const flush = async (patientIds: Set<string>) => {
    const at = clock().toISOString();
    const rows = [...patientIds].map((patientId) => {
      const data: PatientRecordAccessedData = {
        accessId: randomUUID(),
        patientId,
        actorId: identity.userId!,
        actorRole: identity.role!,
        action: APPOINTMENT_READ,
        requestId: identity.requestId ?? null,
        at,
      };
      return { id: randomUUID(), aggregateId: data.accessId, type: "PatientRecordAccessed", payload: { ...data }, occurredAt: new Date(at) };
    });
    await prisma.outboxEvent.createMany({ data: rows });
    await prisma.$executeRaw`SELECT pg_notify(${OUTBOX_CHANNEL}, '')`;
  };
  return {
    appointments(appointments) {
      if (!identity.userId || !identity.role) return Promise.resolve();
      const others = appointments.filter((a): a is { patientId: string } => !!a && a.patientId !== identity.userId);
      if (others.length === 0) return Promise.resolve();
      if (!pending) {
        const batch = (pending = new Set());
        flushed = new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
          pending = undefined;
          return flush(batch);
        });
      }
      for (const a of others) pending.add(a.patientId);
      return flushed!;
    },
  };
}
