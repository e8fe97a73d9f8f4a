/**
 * Audit of reads (every read of PHI is audit-logged), shared by the subgraphs that hold
 * patient data outside accounts: a read of someone else's record becomes a `PatientRecordAccessed` event
 * written to the subgraph's outbox; accounts keeps it in its append-only audit log, where admins query it
 * and the patient sees who read their record (`myRecordAccess`).
 *
 * The answer waits for the write (a read that cannot be audited fails). Reads made in the same tick are one
 * write, one event per patient and action. With `oncePerRequest`, a request records each (patient, action)
 * once; without it (long-lived contexts such as a subscription), every tick's reads are recorded. A
 * subscription's context with `oncePerRequest` calls `nextRequest()` per delivered event: each event is a
 * request of its own.
 */
import { randomUUID } from "node:crypto";
import type { Identity } from "@clinigraph/platform";
import type { PatientRecordAccessedData } from "./catalogue.js";

export interface ReadRecorder {
  /** Records the caller's read of these patients' records under `action` (the caller's own record is skipped). */
  record(action: string, patientIds: readonly string[]): Promise<void>;
  /** In a long-lived context (a subscription's next event): what is read from now on is recorded again, once. */
  nextRequest(): void;
}

export interface ReadRecorderOptions {
  identity: Pick<Identity, "userId" | "role" | "requestId">;
  clock?: () => Date;
  /** Writes the events (to the subgraph's outbox, in one statement). */
  write(reads: PatientRecordAccessedData[]): Promise<void>;
  oncePerRequest?: boolean;
}

export function createReadRecorder({ identity, clock = () => new Date(), write, oncePerRequest = false }: ReadRecorderOptions): ReadRecorder {
  const recorded = new Map<string, Promise<void>>();
  let pending: Map<string, { action: string; patientId: string }> | undefined;
  let flushed: Promise<void> | undefined;
  const flush = (reads: { action: string; patientId: string }[]) => {
    const at = clock().toISOString();
    return write(
      reads.map(({ action, patientId }) => ({
        accessId: randomUUID(),
        patientId,
        actorId: identity.userId!,
        actorRole: identity.role!,
        action,
        requestId: identity.requestId ?? null,
        at,
      })),
    );
  };
  return {
    record(action, patientIds) {
      if (!identity.userId || !identity.role) return Promise.resolve();
      const writes = new Set<Promise<void>>();
      for (const patientId of patientIds) {
        if (patientId === identity.userId) continue;
        const key = `${action} ${patientId}`;
        let write = oncePerRequest ? recorded.get(key) : undefined;
        if (!write) {
          if (!pending) {
            const batch = (pending = new Map());
            flushed = new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
              pending = undefined;
              return flush([...batch.values()]);
            });
          }
          pending.set(key, { action, patientId });
          write = flushed!;
          if (oncePerRequest) recorded.set(key, write);
        }
        writes.add(write);
      }
      return Promise.all(writes).then(() => undefined);
    },
    nextRequest() {
      recorded.clear();
    },
  };
}

/** What `outboxAccessWriter` needs of a Prisma client (any subgraph's). */
export interface RawExecutor {
  $executeRawUnsafe(query: string, ...values: unknown[]): PromiseLike<number>;
}

/** Writes access events into `<schema>.outbox` in one statement and wakes the subgraph's relay. */
export function outboxAccessWriter(db: RawExecutor, schema: string, channel: string): (reads: PatientRecordAccessedData[]) => Promise<void> {
  if (!/^[a-z_]+$/.test(schema)) throw new Error(`Not a schema name: ${schema}`);
  return async (reads) => {
    await db.$executeRawUnsafe(
      `INSERT INTO "${schema}".outbox (id, aggregate_id, type, payload, occurred_at)
       SELECT gen_random_uuid(), (e->>'accessId')::uuid, 'PatientRecordAccessed', e, (e->>'at')::timestamptz FROM jsonb_array_elements($1::jsonb) e`,
      JSON.stringify(reads),
    );
    await db.$executeRawUnsafe(`SELECT pg_notify($1, '')`, channel);
  };
}
