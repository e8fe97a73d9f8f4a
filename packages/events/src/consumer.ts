/**
 * The consumer loop shared by both bus implementations: recover own pending entries, take over idle
 * entries of dead consumers, read new entries; handle one entry at a time with retries and backoff,
 * then acknowledge it or park it in the dead-letter stream (or, with a batch handler, each block read in
 * one call, falling back to one at a time when it fails). See bus.ts for the guarantees.
 */
import { setTimeout as delay } from "node:timers/promises";
import type { Logger } from "@clinigraph/platform";
import { deadLetterStream, defaultBackoff, type ConsumeOptions, type Consumer } from "./bus.js";
import { decodeEnvelope, type EventEnvelope } from "./envelope.js";
import { compareIds, type GroupReader, type StreamEntry, type StreamLog } from "./log.js";

/** Field of a replayed entry naming the only group that must handle it. */
export const TARGET_GROUP_FIELD = "group";

export function startConsumer(log: StreamLog, options: ConsumeOptions, baseLogger: Logger, onStopped: () => void): Consumer {
  const { stream, group, consumer, handler, batchHandler, observer } = options;
  const maxAttempts = options.maxAttempts ?? 5;
  const backoffMs = options.backoffMs ?? defaultBackoff;
  const batchSize = options.batchSize ?? 20;
  const blockMs = options.blockMs ?? 2000;
  const claimIdleMs = options.claimIdleMs ?? 60_000;
  const logger = baseLogger.child({ stream, group, consumer });
  const stopSignal = new AbortController();
  let stopping = false;

  const sleep = (ms: number) => delay(ms, undefined, { signal: stopSignal.signal }).catch(() => undefined);

  async function open(): Promise<GroupReader | undefined> {
    while (!stopping) {
      try {
        return await log.openGroup(stream, group, consumer);
      } catch (err) {
        logger.error({ err }, "cannot open consumer group; retrying");
        await sleep(1000);
      }
    }
    return undefined;
  }

  async function park(reader: GroupReader, entry: StreamEntry, error: string, attempts: number) {
    logger.error({ entryId: entry.id, attempts, error }, "event dead-lettered");
    await reader.deadLetter(entry.id, deadLetterStream(stream, group), {
      originalId: entry.id,
      envelope: entry.fields.envelope ?? "",
      error,
      attempts: String(attempts),
      consumer,
      failedAt: new Date().toISOString(),
    });
    observer?.deadLettered(1);
  }

  async function handle(reader: GroupReader, entry: StreamEntry): Promise<void> {
    const target = entry.fields[TARGET_GROUP_FIELD];
    if (target !== undefined && target !== group) return reader.ack(entry.id);
    const decoded = decodeEnvelope(entry.fields.envelope);
    if (!decoded.ok) return park(reader, entry, decoded.error, 0);
    const event = decoded.envelope;
    for (let attempt = 1; ; attempt++) {
      try {
        await handler(event, { stream, group, entryId: entry.id, attempt });
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        if (attempt >= maxAttempts) return park(reader, entry, message, attempt);
        logger.warn({ eventId: event.id, type: event.type, attempt, error: message }, "event handler failed; will retry");
        observer?.redelivered("retry", 1);
        if (stopping) return; // left unacknowledged: handled again when the consumer restarts
        await sleep(backoffMs(attempt));
        if (stopping) return;
        continue;
      }
      await reader.ack(entry.id); // if this fails, the entry is recovered from the pending list (at-least-once)
      observer?.handled(1);
      return;
    }
  }

  async function handleAll(reader: GroupReader, entries: StreamEntry[]) {
    for (const entry of entries) {
      if (stopping) return; // the rest stays pending and is recovered on restart
      await handle(reader, entry);
    }
  }

  /**
   * Hands a block to the batch handler in one call and acknowledges it with one ack. Entries for other
   * groups are acknowledged with it, malformed ones parked first; when the call throws, each entry is
   * handled on its own (retries, dead letters), so a poison entry is parked alone.
   */
  async function handleBlock(reader: GroupReader, entries: StreamEntry[]) {
    if (!batchHandler) return handleAll(reader, entries);
    if (stopping) return; // the block stays pending and is recovered on restart
    const skipped: string[] = [];
    const acked: string[] = [];
    const batch: { entry: StreamEntry; event: EventEnvelope }[] = [];
    for (const entry of entries) {
      const target = entry.fields[TARGET_GROUP_FIELD];
      if (target !== undefined && target !== group) {
        skipped.push(entry.id);
        acked.push(entry.id);
        continue;
      }
      const decoded = decodeEnvelope(entry.fields.envelope);
      if (!decoded.ok) {
        await park(reader, entry, decoded.error, 0);
        continue;
      }
      batch.push({ entry, event: decoded.envelope });
      acked.push(entry.id);
    }
    if (batch.length > 0) {
      if (stopping) return;
      try {
        await batchHandler(batch.map(({ entry, event }) => ({ event, delivery: { stream, group, entryId: entry.id, attempt: 1 } })));
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        logger.warn({ firstEventId: batch[0]!.event.id, count: batch.length, error: message }, "event batch handler failed; handling its events one by one");
        if (skipped.length > 0) await reader.ack(skipped);
        return handleAll(
          reader,
          batch.map(({ entry }) => entry),
        );
      }
    }
    if (acked.length > 0) await reader.ack(acked); // if this fails, the block is recovered from the pending list
    if (batch.length > 0) observer?.handled(batch.length);
  }

  /** Re-handles entries delivered to this consumer but never acknowledged (a crash, a failed ack). */
  async function recoverPending(reader: GroupReader) {
    let after = "0-0";
    while (!stopping) {
      const entries = await reader.readPending(batchSize, after);
      if (entries.length === 0) return;
      observer?.redelivered("recovered", entries.length);
      await handleBlock(reader, entries);
      after = entries[entries.length - 1]!.id;
    }
  }

  async function run(reader: GroupReader) {
    let recovered = false;
    let lastClaim = 0;
    while (!stopping) {
      try {
        if (!recovered) {
          await recoverPending(reader);
          recovered = true;
        }
        if (Date.now() - lastClaim >= claimIdleMs / 2) {
          lastClaim = Date.now();
          const claimed = await reader.claimIdle(claimIdleMs, batchSize);
          if (claimed.length > 0) observer?.redelivered("claimed", claimed.length);
          await handleBlock(reader, claimed);
        }
        await handleBlock(reader, await reader.readNew(batchSize, blockMs));
      } catch (err) {
        if (stopping) break;
        recovered = false;
        logger.error({ err }, "event consumer failed; retrying");
        await sleep(1000);
      }
    }
  }

  const opened = open();
  const finished = opened
    .then(async (reader) => {
      if (!reader) return;
      try {
        await run(reader);
      } finally {
        await reader.close();
      }
    })
    .catch((err: unknown) => logger.error({ err }, "event consumer crashed"))
    .finally(onStopped);

  return {
    async stop() {
      if (!stopping) {
        stopping = true;
        stopSignal.abort();
        const reader = await opened;
        await reader?.close(); // interrupts a blocked read; a handler in flight completes and is acked
      }
      await finished;
    },

    async idle(timeoutMs = 30_000) {
      await opened;
      const deadline = Date.now() + timeoutMs;
      const target = await log.lastId(stream);
      for (;;) {
        const state = await log.groupState(stream, group);
        if (state && state.pending === 0 && compareIds(state.lastDeliveredId, target) >= 0) return;
        if (stopping) throw new Error(`consumer ${group}/${consumer} stopped before ${stream} was handled`);
        if (Date.now() > deadline) throw new Error(`consumer ${group}/${consumer} not idle after ${timeoutMs} ms`);
        await delay(10);
      }
    },
  };
}
