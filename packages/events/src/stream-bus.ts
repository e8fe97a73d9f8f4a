/** `EventBus` over any `StreamLog`: the Redis and in-process buses differ only in their log. */
import { createLogger, type Logger } from "@clinigraph/platform";
import { deadLetterStream, type Consumer, type DeadLetter, type EventBus } from "./bus.js";
import { startConsumer, TARGET_GROUP_FIELD } from "./consumer.js";
import { decodeEnvelope, encodeEnvelope } from "./envelope.js";
import type { StreamEntry, StreamLog } from "./log.js";

export function createStreamBus(log: StreamLog, logger: Logger = createLogger("events")): EventBus {
  const consumers = new Set<Consumer>();
  let closed = false;
  let closing: Promise<void> | undefined;

  const toDeadLetter = ({ id, fields }: StreamEntry): DeadLetter => {
    const raw = fields.envelope ?? "";
    const decoded = decodeEnvelope(raw);
    return {
      id,
      originalId: fields.originalId ?? "",
      ...(decoded.ok ? { envelope: decoded.envelope } : {}),
      raw,
      error: fields.error ?? "",
      attempts: Number(fields.attempts ?? 0),
      consumer: fields.consumer ?? "",
      failedAt: fields.failedAt ?? "",
    };
  };

  return {
    async publish(stream, events) {
      if (closed) throw new Error("event bus is closed");
      if (events.length > 0)
        await log.append(
          stream,
          events.map((event) => ({ envelope: encodeEnvelope(event) })),
        );
    },

    consume(options) {
      if (closed) throw new Error("event bus is closed");
      const consumer: Consumer = startConsumer(log, options, logger, () => consumers.delete(consumer));
      consumers.add(consumer);
      return consumer;
    },

    async deadLetters(stream, group) {
      return (await log.range(deadLetterStream(stream, group))).map(toDeadLetter);
    },

    async replayDeadLetters(stream, group, ids) {
      const dlq = deadLetterStream(stream, group);
      const wanted = ids ? new Set(ids) : undefined;
      const entries = (await log.range(dlq)).filter((entry) => !wanted || wanted.has(entry.id));
      if (entries.length === 0) return 0;
      await log.append(
        stream,
        entries.map((entry) => ({ envelope: entry.fields.envelope ?? "", [TARGET_GROUP_FIELD]: group })),
      );
      await log.remove(
        dlq,
        entries.map((entry) => entry.id),
      );
      return entries.length;
    },

    async groupStats(stream, group) {
      const [state, deadLetters] = await Promise.all([log.groupState(stream, group), log.length(deadLetterStream(stream, group))]);
      return state ? { lag: state.lag, pending: state.pending, deadLetters } : null;
    },

    trim(stream, before) {
      return log.trim(stream, before);
    },

    close() {
      closed = true;
      closing ??= Promise.all([...consumers].map((consumer) => consumer.stop())).then(() => log.close());
      return closing;
    },
  };
}
