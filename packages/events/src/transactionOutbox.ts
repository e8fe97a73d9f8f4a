/**
 * The outbox of one transaction, for a subgraph whose unit of work runs on hand-written SQL (platform `Sql`).
 * `append` keeps the events; `flush`, which the unit of work calls once just before COMMIT, writes them all in one
 * statement, in the order they were appended (the relay publishes by sequence), and the same statement wakes the
 * relay (`outboxChannel(service)`, delivered at commit). Nothing in a transaction reads its outbox, so writing it last
 * changes only the number of round trips; a failing write still rolls the whole transaction back.
 */
import { randomUUID } from "node:crypto";
import { currentTraceparent, type Sql } from "@clinigraph/platform";
import { outboxChannel } from "./relay.js";

export interface TransactionOutbox<T extends string, P extends object> {
  append(type: T, payload: P, occurredAt: Date): Promise<void>;
  flush(): Promise<void>;
}

export interface TransactionOutboxOptions<P> {
  /** The subgraph: its schema holds the `outbox` table, and its relay listens on `outboxChannel(service)`. */
  service: string;
  /** The aggregate an event belongs to (the outbox's `aggregate_id`). */
  aggregateId(payload: P): string;
  /**
   * The stored payload as an SQL expression over `e.payload` (jsonb), to add what only the database knows in the same
   * statement (scheduling adds the doctor's user id); default `e.payload`.
   */
  payloadSql?: string;
}

export function createTransactionOutbox<T extends string, P extends object>(tx: Sql, options: TransactionOutboxOptions<P>): TransactionOutbox<T, P> {
  if (!/^[a-z_]+$/.test(options.service)) throw new Error(`Not a schema name: ${options.service}`);
  const channel = outboxChannel(options.service);
  // Taken as they are when appended: a payload the caller changes afterwards is not what was recorded.
  let pending: { type: T; aggregateId: string; payload: string; occurredAt: Date; traceparent: string | null }[] = [];
  return {
    async append(type, payload, occurredAt) {
      // The trace context of the request (or consumer) writing the event: its consumers join that trace.
      pending.push({
        type,
        aggregateId: options.aggregateId(payload),
        payload: JSON.stringify(payload),
        occurredAt,
        traceparent: currentTraceparent() ?? null,
      });
    },
    async flush() {
      if (pending.length === 0) return;
      const events = pending;
      pending = [];
      await tx.query(
        `WITH appended AS (
           INSERT INTO ${options.service}.outbox (id, aggregate_id, type, payload, occurred_at, traceparent)
           SELECT e.id, e.aggregate_id, e.type, ${options.payloadSql ?? "e.payload"}, e.occurred_at, e.traceparent
           FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::jsonb[], $5::timestamptz[], $7::text[]) WITH ORDINALITY
             AS e(id, aggregate_id, type, payload, occurred_at, traceparent, ord)
           ORDER BY e.ord
           RETURNING 1)
         SELECT pg_notify($6, '') WHERE EXISTS (SELECT 1 FROM appended)`,
        [
          events.map(() => randomUUID()),
          events.map((e) => e.aggregateId),
          events.map((e) => e.type),
          events.map((e) => e.payload),
          events.map((e) => e.occurredAt),
          channel,
          events.map((e) => e.traceparent),
        ],
      );
    },
  };
}

/**
 * What writing an outbox row needs of a subgraph's Prisma transaction client (every generated client has it: each
 * subgraph's schema has the same `OutboxEvent` model over `<service>.outbox`).
 */
export interface PrismaOutboxClient {
  outboxEvent: {
    create(args: {
      data: { id: string; aggregateId: string; type: string; payload: object; occurredAt: Date; traceparent: string | null };
    }): PromiseLike<unknown>;
  };
  $executeRaw(query: TemplateStringsArray, ...values: unknown[]): PromiseLike<number>;
}

/**
 * The outbox of a subgraph whose unit of work runs on Prisma: one row in the running transaction (with the trace
 * context of the request or consumer writing it), and the NOTIFY that wakes the relay at commit.
 */
export async function writePrismaOutboxEvent(
  tx: PrismaOutboxClient,
  service: string,
  event: { type: string; aggregateId: string; payload: object; occurredAt: Date },
): Promise<void> {
  await tx.outboxEvent.create({ data: { id: randomUUID(), ...event, traceparent: currentTraceparent() ?? null } });
  await tx.$executeRaw`SELECT pg_notify(${outboxChannel(service)}, '')`;
}
