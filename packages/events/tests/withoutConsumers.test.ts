/**
 * EVENT_CONSUMERS=off (useEventBus({ consumers: false })): an API replica publishes to the bus, and consumes nothing —
 * its consumers read no entry, so a group keeps the single consumer that the consumers' own process runs.
 */
import { describe, expect, it } from "@jest/globals";
import { createEnvelope, useEventBus, type EventEnvelope } from "../src/index.js";
import { MemoryStreamLog } from "../src/memory.js";
import { createStreamBus } from "../src/stream-bus.js";

const STREAM = "test.without-consumers";
const event = () => createEnvelope("DoctorScheduleChanged", { doctorId: "d-1" });

describe("useEventBus({ consumers: false })", () => {
  it("publishes to the shared bus and starts no consumer, while the bus's own consumers get the events", async () => {
    const shared = createStreamBus(new MemoryStreamLog());
    const api = await useEventBus({ shared, consumers: false });
    const seenByApi: EventEnvelope[] = [];
    const apiConsumer = api.bus.consume({ stream: STREAM, group: "g", consumer: "g-1", handler: async (e) => void seenByApi.push(e) });

    const sent = event();
    await api.bus.publish(STREAM, [sent]);
    await apiConsumer.idle();
    expect(seenByApi).toEqual([]);

    // The group's one consumer (another process's, here the same log) receives what the API replica published.
    const seen: EventEnvelope[] = [];
    const consumer = shared.consume({ stream: STREAM, group: "g", consumer: "g-1", handler: async (e) => void seen.push(e) });
    await consumer.idle();
    expect(seen.map((e) => e.id)).toEqual([sent.id]);

    await apiConsumer.stop();
    await consumer.stop();
    await api.release(); // the shared bus is its owner's to close
    await shared.close();
  });

  it("is the bus itself when consumers are on (the default)", async () => {
    const shared = createStreamBus(new MemoryStreamLog());
    expect((await useEventBus({ shared })).bus).toBe(shared);
    expect((await useEventBus({ shared, consumers: true })).bus).toBe(shared);
    await shared.close();
  });
});
