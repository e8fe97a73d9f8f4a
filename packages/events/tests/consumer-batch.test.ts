/** Round trips of the batch handler path: one ack call per block (the contract tests check the outcome). */
import { describe, expect, it } from "@jest/globals";
import { randomUUID } from "node:crypto";
import { createEnvelope } from "../src/index.js";
import type { GroupReader } from "../src/log.js";
import { MemoryStreamLog } from "../src/memory.js";
import { createStreamBus } from "../src/stream-bus.js";

/** A memory log recording the argument of every ack of its readers. */
class AckCountingLog extends MemoryStreamLog {
  readonly acks: (string | readonly string[])[] = [];

  override async openGroup(stream: string, group: string, consumer: string): Promise<GroupReader> {
    const reader = await super.openGroup(stream, group, consumer);
    const ack = reader.ack.bind(reader);
    reader.ack = async (ids) => {
      this.acks.push(typeof ids === "string" ? ids : [...ids]);
      await ack(ids);
    };
    return reader;
  }
}

const booked = (status: string) =>
  createEnvelope("AppointmentBooked", {
    appointmentId: randomUUID(),
    patientId: randomUUID(),
    doctorId: randomUUID(),
    serviceId: null,
    status,
    startsAt: "2030-01-07T09:00:00.000Z",
    endsAt: "2030-01-07T09:30:00.000Z",
    actorId: null,
  });

describe("consumer with a batch handler", () => {
  it("acknowledges a whole block with one ack call, entries addressed to another group included", async () => {
    const log = new AckCountingLog();
    const bus = createStreamBus(log);
    const stream = `test.${randomUUID()}.appointments`;
    await log.append(stream, [{ envelope: JSON.stringify(booked("mine")), group: "other" }]);
    await bus.publish(stream, [booked("e1"), booked("e2")]);
    const ids = (await log.range(stream)).map((entry) => entry.id);
    const entryIds: string[] = [];
    const consumer = bus.consume({
      stream,
      group: "g",
      consumer: "c",
      handler: async () => {
        throw new Error("handler must not be called");
      },
      batchHandler: async (batch) => void entryIds.push(...batch.map((b) => b.delivery.entryId)),
    });
    await consumer.idle();
    expect(entryIds).toEqual(ids.slice(1));
    expect(log.acks).toEqual([ids]);
    await bus.close();
  });

  it("acknowledges entry by entry without a batch handler", async () => {
    const log = new AckCountingLog();
    const bus = createStreamBus(log);
    const stream = `test.${randomUUID()}.appointments`;
    await bus.publish(stream, [booked("e1"), booked("e2")]);
    const ids = (await log.range(stream)).map((entry) => entry.id);
    const consumer = bus.consume({ stream, group: "g", consumer: "c", handler: async () => undefined });
    await consumer.idle();
    expect(log.acks).toEqual(ids);
    await bus.close();
  });
});
