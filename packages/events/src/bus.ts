/**
 * The event bus interface, implemented by Redis Streams (`redis.ts`) and in process (`memory.ts`).
 * Both run the same consumer logic (`consumer.ts`) over a small stream-log abstraction (`log.ts`) and
 * pass the same contract tests.
 *
 * Semantics (both implementations):
 * - `publish` appends the events of one call atomically and in order.
 * - A consumer group starts at the beginning of the stream and resumes where it stopped; a consumer
 *   first re-handles its own unacknowledged entries (at-least-once: the one in flight during a crash).
 * - One consumer handles entries strictly one at a time, in stream order. A failing handler is retried
 *   with backoff BEFORE any later entry is handled (head-of-line: the whole consumer waits), so order
 *   per subject (aggregate) is kept under retries. After `maxAttempts` the entry is parked in the
 *   dead-letter stream `<stream>.dlq.<group>` and acknowledged, and the consumer goes on.
 * - With a `batchHandler`, each block read is handed over in one call (stream order) and acknowledged at
 *   once; when that call throws, the block's entries are handled one at a time as above.
 * - A malformed envelope is poison: dead-lettered at once, without retries.
 * - Replaying a dead letter re-appends it to the stream, addressed to that group only (other groups
 *   skip it). It then comes after later events of its subject; handlers must be idempotent anyway.
 * - Several consumers in one group share the work (Redis), but per-subject order is then only kept
 *   per consumer: run one consumer per group when order matters (the default deployment).
 */
import type { EventEnvelope } from "./envelope.js";

export interface DeliveryInfo {
  stream: string;
  group: string;
  /** The stream entry id (a replayed event gets a new one; the envelope id stays). */
  entryId: string;
  /** 1 for the first try in this run of the consumer. */
  attempt: number;
}

export type EventHandler = (event: EventEnvelope, delivery: DeliveryInfo) => Promise<void>;

/**
 * What a consumer reports as it goes (metrics.ts counts it): entries handled and acknowledged; entries handed to the
 * handler again (`retry`: after the handler failed; `recovered`: this consumer's unacknowledged entries at its
 * start; `claimed`: taken over from an idle consumer of the group); entries parked in the dead-letter stream.
 */
export interface ConsumerObserver {
  handled(count: number): void;
  redelivered(reason: "retry" | "recovered" | "claimed", count: number): void;
  deadLettered(count: number): void;
}

export interface ConsumeOptions {
  stream: string;
  /** The consuming subgraph (or feature): each group receives every event once. */
  group: string;
  /** Stable name of this consumer within the group (unacked entries are recovered under it). */
  consumer: string;
  handler: EventHandler;
  /**
   * Handles a block of entries (up to batchSize, stream order) in one call. When it throws, each entry of
   * the block is handled on its own by `handler`, with the usual retries and dead letters.
   */
  batchHandler?: (batch: readonly { event: EventEnvelope; delivery: DeliveryInfo }[]) => Promise<void>;
  /** Tries before an entry is dead-lettered (default 5). */
  maxAttempts?: number;
  /** Wait before try `attempt + 1` (default 200 ms doubling, capped at 30 s). */
  backoffMs?: (attempt: number) => number;
  /** Entries read per round trip (default 20). */
  batchSize?: number;
  /** How long a read waits for new entries (default 2000 ms). */
  blockMs?: number;
  /** Entries of other consumers of the group idle this long are taken over (default 60 s; Redis only). */
  claimIdleMs?: number;
  /** Told what the consumer handles, redelivers and dead-letters (metrics). */
  observer?: ConsumerObserver;
}

/** A consumer group on one stream as the log holds it now (metrics). */
export interface GroupStats {
  /** Entries not yet delivered to the group; null when the log cannot tell. */
  lag: number | null;
  /** Entries delivered to a consumer of the group and not acknowledged yet. */
  pending: number;
  /** Entries in the group's dead-letter stream. */
  deadLetters: number;
}

export interface Consumer {
  /** Stops reading; waits for the handler in flight (its entry is acknowledged if it succeeded). */
  stop(): Promise<void>;
  /** Resolves when every entry in the stream at the time of the call was handled (or dead-lettered). */
  idle(timeoutMs?: number): Promise<void>;
}

export interface DeadLetter {
  /** Id of the entry in the dead-letter stream (use it to replay). */
  id: string;
  /** Id of the original entry in the event stream. */
  originalId: string;
  /** The decoded envelope; undefined when the entry was not a valid envelope (see `raw`). */
  envelope?: EventEnvelope;
  raw: string;
  error: string;
  attempts: number;
  consumer: string;
  failedAt: string;
}

export interface EventBus {
  /** Appends the events, in order, to the stream. */
  publish(stream: string, events: readonly EventEnvelope[]): Promise<void>;
  consume(options: ConsumeOptions): Consumer;
  /** The dead letters of one group on one stream, oldest first. */
  deadLetters(stream: string, group: string): Promise<DeadLetter[]>;
  /** Re-delivers dead letters (all, or the given dead-letter ids) to the same group; returns how many. */
  replayDeadLetters(stream: string, group: string, ids?: readonly string[]): Promise<number>;
  /** The group's lag, pending entries and dead letters now; null while the group does not exist. */
  groupStats(stream: string, group: string): Promise<GroupStats | null>;
  /**
   * Drops the stream's entries older than `before` that every consumer group has had delivered and acknowledged
   * (see StreamLog.trim); returns how many. Dead-letter streams are never trimmed.
   */
  trim(stream: string, before: Date): Promise<number>;
  /** Stops every consumer and closes connections. */
  close(): Promise<void>;
}

export const deadLetterStream = (stream: string, group: string) => `${stream}.dlq.${group}`;

export const defaultBackoff = (attempt: number) => Math.min(200 * 2 ** (attempt - 1), 30_000);
