/**
 * The event-bus contract: the same cases run against every implementation (memory.test.ts,
 * redis.int.test.ts). Each test works on its own stream names (a unique prefix) and cleans up.
 */
import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { randomBytes, randomUUID } from "node:crypto";
import { createEnvelope, subscribe, type DeliveryInfo, type EventBus, type EventEnvelope, type EventHandler } from "../src/index.js";
import type { GroupState } from "../src/log.js";

export interface BusHarness {
  /** A bus over the implementation's shared store; every call is a new client (a "restarted process"). */
  open(): Promise<EventBus>;
  /** Removes what the test left under `prefix` (Redis keys). */
  cleanup(prefix: string): Promise<void>;
  /** The group's state in the shared store (null when the group does not exist). */
  groupState(stream: string, group: string): Promise<GroupState | null>;
}

const TINY_BACKOFF = () => 5;

export function busContract(name: string, harness: BusHarness) {
  describe(`event bus contract: ${name}`, () => {
    let prefix: string;
    let stream: string;
    const buses: EventBus[] = [];
    const open = async () => {
      const bus = await harness.open();
      buses.push(bus);
      return bus;
    };

    beforeEach(() => {
      prefix = `test.${randomBytes(6).toString("hex")}`;
      stream = `${prefix}.appointments`;
    });
    afterEach(async () => {
      await Promise.all(buses.splice(0).map((bus) => bus.close()));
      await harness.cleanup(prefix);
    });

    /** An AppointmentBooked event for `subject`, labelled (in `status`) so tests can follow it. */
    const event = (label: string, subject = randomUUID()) =>
      createEnvelope("AppointmentBooked", {
        appointmentId: subject,
        patientId: randomUUID(),
        doctorId: randomUUID(),
        serviceId: null,
        status: label,
        startsAt: "2030-01-07T09:00:00.000Z",
        endsAt: "2030-01-07T09:30:00.000Z",
        actorId: null,
      });
    const labelOf = (e: EventEnvelope) => (e.data as { status: string }).status;
    const labels = (prefixLabel: string, n: number) => Array.from({ length: n }, (_, i) => `${prefixLabel}${i + 1}`);
    const recorder = (seen: string[], then?: (label: string) => Promise<void> | void): EventHandler => {
      return async (e) => {
        seen.push(labelOf(e));
        await then?.(labelOf(e));
      };
    };

    it("delivers published events in order, with their CloudEvents envelope", async () => {
      const bus = await open();
      const published = labels("e", 5).map((l) => event(l));
      await bus.publish(stream, published.slice(0, 2));
      await bus.publish(stream, published.slice(2));
      const received: EventEnvelope[] = [];
      const entryIds: string[] = [];
      const consumer = bus.consume({
        stream,
        group: "g",
        consumer: "c1",
        handler: async (e, delivery) => {
          received.push(e);
          entryIds.push(delivery.entryId);
          expect(delivery).toMatchObject({ stream, group: "g", attempt: 1 });
        },
      });
      await consumer.idle();
      expect(received).toEqual(published);
      expect(new Set(entryIds).size).toBe(5);
      expect(received[0]).toMatchObject({
        specversion: "1.0",
        source: "clinigraph/scheduling",
        type: "AppointmentBooked",
        datacontenttype: "application/json",
      });
      expect(received[0]!.subject).toBe(published[0]!.data.appointmentId);
      await bus.publish(stream, [event("late")]);
      await consumer.idle();
      expect(received.map(labelOf)).toEqual([...labels("e", 5), "late"]);
    });

    it("gives every group every event; a new group starts from the beginning", async () => {
      const bus = await open();
      await bus.publish(
        stream,
        labels("e", 3).map((l) => event(l)),
      );
      const a: string[] = [];
      const b: string[] = [];
      const ca = bus.consume({ stream, group: "a", consumer: "c", handler: recorder(a) });
      await ca.idle();
      await bus.publish(stream, [event("e4")]);
      const cb = bus.consume({ stream, group: "b", consumer: "c", handler: recorder(b) });
      await Promise.all([ca.idle(), cb.idle()]);
      expect(a).toEqual(labels("e", 4));
      expect(b).toEqual(labels("e", 4));
    });

    it("a consumer stopped mid-stream resumes where it stopped after a restart: nothing lost, nothing twice", async () => {
      const bus1 = await open();
      await bus1.publish(
        stream,
        labels("e", 10).map((l) => event(l)),
      );
      const first: string[] = [];
      let stopping: Promise<void> | undefined;
      const c1 = bus1.consume({
        stream,
        group: "g",
        consumer: "c1",
        batchSize: 4,
        handler: recorder(first, (label) => {
          if (label === "e6") stopping = c1.stop(); // stop while this handler is in flight
        }),
      });
      await waitFor(() => stopping !== undefined);
      await stopping;
      await bus1.close();
      expect(first).toEqual(labels("e", 6));

      const bus2 = await open(); // a restarted process
      await bus2.publish(stream, [event("e11"), event("e12")]); // published while the consumer was down
      const second: string[] = [];
      const c2 = bus2.consume({ stream, group: "g", consumer: "c1", batchSize: 4, handler: recorder(second) });
      await c2.idle();
      expect(second).toEqual(["e7", "e8", "e9", "e10", "e11", "e12"]);
    });

    it("redelivers the unacknowledged in-flight event after a restart (at-least-once), and only that one", async () => {
      const bus1 = await open();
      await bus1.publish(
        stream,
        labels("e", 5).map((l) => event(l)),
      );
      const first: string[] = [];
      let failed = false;
      const c1 = bus1.consume({
        stream,
        group: "g",
        consumer: "c1",
        backoffMs: () => 60_000, // the consumer is stopped during this wait
        handler: recorder(first, (label) => {
          if (label === "e3") {
            failed = true;
            throw new Error("database unavailable");
          }
        }),
      });
      await waitFor(() => failed);
      await c1.stop();
      await bus1.close();
      expect(first).toEqual(["e1", "e2", "e3"]);

      const bus2 = await open();
      const second: string[] = [];
      const c2 = bus2.consume({ stream, group: "g", consumer: "c1", handler: recorder(second) });
      await c2.idle();
      expect(second).toEqual(["e3", "e4", "e5"]);
      expect(await bus2.deadLetters(stream, "g")).toEqual([]);
    });

    it("another consumer of the group takes over what a dead consumer left pending", async () => {
      const bus1 = await open();
      await bus1.publish(
        stream,
        labels("e", 3).map((l) => event(l)),
      );
      let failed = false;
      const dead = bus1.consume({
        stream,
        group: "g",
        consumer: "dead",
        backoffMs: () => 60_000,
        handler: async (e) => {
          failed = true;
          throw new Error(`cannot handle ${labelOf(e)}`);
        },
      });
      await waitFor(() => failed);
      await dead.stop();
      const seen: string[] = [];
      const heir = (await open()).consume({ stream, group: "g", consumer: "heir", claimIdleMs: 20, blockMs: 50, handler: recorder(seen) });
      await heir.idle();
      expect([...seen].sort()).toEqual(["e1", "e2", "e3"]);
    });

    it("retries a failing handler with backoff, then goes on", async () => {
      const bus = await open();
      await bus.publish(stream, [event("e1"), event("flaky"), event("e3")]);
      const attempts: number[] = [];
      const backoffCalls: number[] = [];
      const seen: string[] = [];
      const consumer = bus.consume({
        stream,
        group: "g",
        consumer: "c",
        backoffMs: (attempt) => {
          backoffCalls.push(attempt);
          return 5;
        },
        handler: async (e, delivery) => {
          if (labelOf(e) === "flaky") {
            attempts.push(delivery.attempt);
            if (delivery.attempt < 3) throw new Error("try again");
          }
          seen.push(labelOf(e));
        },
      });
      await consumer.idle();
      expect(attempts).toEqual([1, 2, 3]);
      expect(backoffCalls).toEqual([1, 2]);
      expect(seen).toEqual(["e1", "flaky", "e3"]);
      expect(await bus.deadLetters(stream, "g")).toEqual([]);
    });

    it("parks a poison event (and an undecodable envelope) in the dead-letter stream and goes on", async () => {
      const bus = await open();
      const poison = event("poison");
      const undecodable = { specversion: "1.0", id: "broken", type: "AppointmentBooked" } as unknown as EventEnvelope;
      await bus.publish(stream, [event("e1"), poison, undecodable, event("e4")]);
      const seen: string[] = [];
      let poisonTries = 0;
      const consumer = bus.consume({
        stream,
        group: "g",
        consumer: "c",
        maxAttempts: 3,
        backoffMs: TINY_BACKOFF,
        handler: recorder(seen, (label) => {
          if (label === "poison") {
            poisonTries++;
            throw new Error("cannot process this one");
          }
        }),
      });
      await consumer.idle();
      expect(seen).toEqual(["e1", "poison", "poison", "poison", "e4"]);
      expect(poisonTries).toBe(3);
      const letters = await bus.deadLetters(stream, "g");
      expect(letters).toHaveLength(2);
      expect(letters[0]).toMatchObject({ envelope: poison, error: "cannot process this one", attempts: 3, consumer: "c" });
      expect(letters[1]).toMatchObject({ error: "source must be a non-empty string", attempts: 0 });
      expect(letters[1]!.envelope).toBeUndefined();
      expect(JSON.parse(letters[1]!.raw)).toEqual(undecodable);
      expect(letters[0]!.originalId).not.toBe(letters[1]!.originalId);
      expect(Date.parse(letters[0]!.failedAt)).not.toBeNaN();
      expect(await bus.deadLetters(stream, "other-group")).toEqual([]);
    });

    it("replays dead letters to the same group only", async () => {
      const bus = await open();
      await bus.publish(stream, [event("p1"), event("e2"), event("p3")]);
      let healed = false;
      const seen: string[] = [];
      const consumer = bus.consume({
        stream,
        group: "g",
        consumer: "c",
        maxAttempts: 1,
        handler: recorder(seen, (label) => {
          if (label.startsWith("p") && !healed) throw new Error("bug");
        }),
      });
      const otherSeen: string[] = [];
      const other = bus.consume({ stream, group: "other", consumer: "c", handler: recorder(otherSeen) });
      await Promise.all([consumer.idle(), other.idle()]);
      const letters = await bus.deadLetters(stream, "g");
      expect(letters.map((l) => labelOf(l.envelope!))).toEqual(["p1", "p3"]);

      healed = true;
      expect(await bus.replayDeadLetters(stream, "g", [letters[1]!.id])).toBe(1);
      await Promise.all([consumer.idle(), other.idle()]);
      expect(seen).toEqual(["p1", "e2", "p3", "p3"]);
      expect((await bus.deadLetters(stream, "g")).map((l) => l.id)).toEqual([letters[0]!.id]);

      expect(await bus.replayDeadLetters(stream, "g")).toBe(1);
      await Promise.all([consumer.idle(), other.idle()]);
      expect(seen).toEqual(["p1", "e2", "p3", "p3", "p1"]);
      expect(await bus.deadLetters(stream, "g")).toEqual([]);
      expect(otherSeen).toEqual(["p1", "e2", "p3"]);
      expect(await bus.replayDeadLetters(stream, "g")).toBe(0);
    });

    it("keeps the order per subject while an event is retried", async () => {
      const bus = await open();
      const a = randomUUID();
      const b = randomUUID();
      await bus.publish(stream, [event("a1", a), event("b1", b), event("a2", a), event("b2", b), event("a3", a)]);
      const bySubject = new Map<string, string[]>();
      const order: string[] = [];
      const consumer = bus.consume({
        stream,
        group: "g",
        consumer: "c",
        backoffMs: TINY_BACKOFF,
        handler: async (e, delivery) => {
          if (labelOf(e) === "a2" && delivery.attempt < 3) throw new Error("not yet");
          order.push(labelOf(e));
          bySubject.set(e.subject, [...(bySubject.get(e.subject) ?? []), labelOf(e)]);
        },
      });
      await consumer.idle();
      expect(bySubject.get(a)).toEqual(["a1", "a2", "a3"]);
      expect(bySubject.get(b)).toEqual(["b1", "b2"]);
      expect(order).toEqual(["a1", "b1", "a2", "b2", "a3"]); // head-of-line: the whole consumer waits
    });

    it("reports a group's lag, pending entries and dead letters, and tells the observer what it handled, retried and parked", async () => {
      const bus = await open();
      expect(await bus.groupStats(stream, "g")).toBeNull(); // no such group yet
      const counts = { handled: 0, retry: 0, recovered: 0, claimed: 0, deadLettered: 0 };
      let flakyFailures = 0;
      const options = {
        stream,
        group: "g",
        consumer: "c1",
        backoffMs: TINY_BACKOFF,
        maxAttempts: 3,
        observer: {
          handled: (n: number) => void (counts.handled += n),
          redelivered: (reason: "retry" | "recovered" | "claimed", n: number) => void (counts[reason] += n),
          deadLettered: (n: number) => void (counts.deadLettered += n),
        },
        handler: recorder([], (label) => {
          if (label === "poison") throw new Error("never handled");
          if (label === "flaky" && flakyFailures++ === 0) throw new Error("fails once");
        }),
      };
      const first = bus.consume(options);
      await first.idle();
      expect(await bus.groupStats(stream, "g")).toEqual({ lag: 0, pending: 0, deadLetters: 0 });
      await first.stop();

      // Stopped, the group falls behind: every entry published since waits undelivered.
      await bus.publish(stream, [event("e1"), event("flaky"), event("poison"), event("e2")]);
      expect(await bus.groupStats(stream, "g")).toEqual({ lag: 4, pending: 0, deadLetters: 0 });

      await bus.consume(options).idle();
      expect(await bus.groupStats(stream, "g")).toEqual({ lag: 0, pending: 0, deadLetters: 1 });
      // e1, flaky (after one retry) and e2 handled; poison retried twice, then parked on its third failure.
      expect(counts).toEqual({ handled: 3, retry: 3, recovered: 0, claimed: 0, deadLettered: 1 });
    });

    it("idle() resolves at once on an empty stream; close() stops consumers", async () => {
      const bus = await open();
      const consumer = bus.consume({ stream, group: "g", consumer: "c", handler: async () => undefined });
      await consumer.idle();
      await bus.close();
      await expect(bus.publish(stream, [event("x")])).rejects.toThrow("closed");
    });

    describe("batch handler", () => {
      type Batch = readonly { event: EventEnvelope; delivery: DeliveryInfo }[];
      const unexpected: EventHandler = async (e) => {
        throw new Error(`handler called for ${labelOf(e)}`);
      };
      const batchRecorder = (batches: string[][], then?: (batch: Batch) => Promise<void> | void) => async (batch: Batch) => {
        batches.push(batch.map(({ event: e }) => labelOf(e)));
        await then?.(batch);
      };
      const expectAllAcknowledged = async (group: string) => {
        expect(await harness.groupState(stream, group)).toEqual({ lastDeliveredId: expect.any(String), pending: 0, lag: 0 });
      };

      it("hands a block to batchHandler in one call, in stream order, and acknowledges all of it", async () => {
        const bus = await open();
        await bus.publish(
          stream,
          labels("e", 5).map((l) => event(l)),
        );
        const batches: string[][] = [];
        const deliveries: DeliveryInfo[] = [];
        const consumer = bus.consume({
          stream,
          group: "g",
          consumer: "c",
          handler: unexpected,
          batchHandler: batchRecorder(batches, (batch) => void deliveries.push(...batch.map((b) => b.delivery))),
        });
        await consumer.idle();
        expect(batches).toEqual([labels("e", 5)]);
        expect(deliveries.every((d) => d.stream === stream && d.group === "g" && d.attempt === 1)).toBe(true);
        expect(new Set(deliveries.map((d) => d.entryId)).size).toBe(5);
        await expectAllAcknowledged("g");

        await bus.publish(stream, [event("e6"), event("e7")]);
        await consumer.idle();
        expect(batches).toEqual([labels("e", 5), ["e6", "e7"]]);
        await expectAllAcknowledged("g");
        expect(await bus.deadLetters(stream, "g")).toEqual([]);
      });

      it("reads blocks of batchSize entries", async () => {
        const bus = await open();
        await bus.publish(
          stream,
          labels("e", 5).map((l) => event(l)),
        );
        const batches: string[][] = [];
        const consumer = bus.consume({ stream, group: "g", consumer: "c", batchSize: 2, handler: unexpected, batchHandler: batchRecorder(batches) });
        await consumer.idle();
        expect(batches).toEqual([["e1", "e2"], ["e3", "e4"], ["e5"]]);
        await expectAllAcknowledged("g");
      });

      it("when batchHandler throws, each entry goes through handler: a poison entry is dead-lettered alone, the others are acknowledged", async () => {
        const bus = await open();
        const poison = event("poison");
        await bus.publish(stream, [event("e1"), poison, event("e3")]);
        const batches: string[][] = [];
        const seen: string[] = [];
        const consumer = bus.consume({
          stream,
          group: "g",
          consumer: "c",
          maxAttempts: 2,
          backoffMs: TINY_BACKOFF,
          handler: recorder(seen, (label) => {
            if (label === "poison") throw new Error("cannot process this one");
          }),
          batchHandler: batchRecorder(batches, () => {
            throw new Error("transaction rolled back");
          }),
        });
        await consumer.idle();
        expect(batches).toEqual([["e1", "poison", "e3"]]);
        expect(seen).toEqual(["e1", "poison", "poison", "e3"]);
        const letters = await bus.deadLetters(stream, "g");
        expect(letters).toHaveLength(1);
        expect(letters[0]).toMatchObject({ envelope: poison, error: "cannot process this one", attempts: 2, consumer: "c" });
        await expectAllAcknowledged("g");
      });

      it("parks a malformed envelope of a block and batch-handles the rest", async () => {
        const bus = await open();
        const undecodable = { specversion: "1.0", id: "broken", type: "AppointmentBooked" } as unknown as EventEnvelope;
        await bus.publish(stream, [event("e1"), undecodable, event("e3")]);
        const batches: string[][] = [];
        const consumer = bus.consume({ stream, group: "g", consumer: "c", handler: unexpected, batchHandler: batchRecorder(batches) });
        await consumer.idle();
        expect(batches).toEqual([["e1", "e3"]]);
        const letters = await bus.deadLetters(stream, "g");
        expect(letters).toHaveLength(1);
        expect(letters[0]).toMatchObject({ error: "source must be a non-empty string", attempts: 0 });
        expect(JSON.parse(letters[0]!.raw)).toEqual(undecodable);
        await expectAllAcknowledged("g");
      });

      it("acknowledges entries replayed to another group without handing them to batchHandler", async () => {
        const bus = await open();
        await bus.publish(stream, [event("p1"), event("e2")]);
        const g = bus.consume({
          stream,
          group: "g",
          consumer: "c",
          maxAttempts: 1,
          handler: recorder([], (label) => {
            if (label === "p1") throw new Error("bug");
          }),
        });
        await g.idle();
        await g.stop();
        expect(await bus.replayDeadLetters(stream, "g")).toBe(1);

        const batches: string[][] = [];
        const other = bus.consume({ stream, group: "other", consumer: "c", handler: unexpected, batchHandler: batchRecorder(batches) });
        await other.idle();
        expect(batches).toEqual([["p1", "e2"]]);
        await expectAllAcknowledged("other");
        expect(await bus.deadLetters(stream, "other")).toEqual([]);
      });

      it("stop() while a batch is in flight lets it complete and be acknowledged; a restart goes on after it", async () => {
        const bus1 = await open();
        await bus1.publish(
          stream,
          labels("e", 3).map((l) => event(l)),
        );
        const first: string[][] = [];
        let stopping: Promise<void> | undefined;
        const c1 = bus1.consume({
          stream,
          group: "g",
          consumer: "c1",
          handler: unexpected,
          batchHandler: batchRecorder(first, () => {
            stopping = c1.stop(); // the batch is still in flight
          }),
        });
        await waitFor(() => stopping !== undefined);
        await stopping;
        expect(first).toEqual([labels("e", 3)]);
        await expectAllAcknowledged("g");
        await bus1.close();

        const bus2 = await open(); // a restarted process
        await bus2.publish(stream, [event("e4")]);
        const second: string[][] = [];
        const c2 = bus2.consume({ stream, group: "g", consumer: "c1", handler: unexpected, batchHandler: batchRecorder(second) });
        await c2.idle();
        expect(second).toEqual([["e4"]]);
      });

      it("subscribe: batchHandler receives only the events of its types, and is not called for a block without any", async () => {
        const bus = await open();
        const doctor = () => createEnvelope("DoctorScheduleChanged", { doctorId: randomUUID() });
        await bus.publish(stream, [event("e1"), doctor(), event("e2"), event("e3"), doctor(), event("e4")]);
        const batches: string[][] = [];
        const consumer = subscribe({
          bus,
          group: "g",
          consumer: "c",
          namespace: `${prefix}.`,
          streams: ["appointments"],
          types: ["AppointmentBooked"],
          batchSize: 3,
          handler: unexpected,
          batchHandler: async (events) => {
            batches.push(events.map((e) => e.data.status));
          },
        });
        await consumer.idle();
        expect(batches).toEqual([
          ["e1", "e2"],
          ["e3", "e4"],
        ]);
        await bus.publish(stream, [doctor(), doctor()]);
        await consumer.idle();
        expect(batches).toHaveLength(2);
        await expectAllAcknowledged("g");
      });

      it("subscribe: when batchHandler throws, handler takes each event of its types", async () => {
        const bus = await open();
        await bus.publish(stream, [event("e1"), createEnvelope("DoctorScheduleChanged", { doctorId: randomUUID() }), event("e2")]);
        const seen: string[] = [];
        let batchCalls = 0;
        const consumer = subscribe({
          bus,
          group: "g",
          consumer: "c",
          namespace: `${prefix}.`,
          streams: ["appointments"],
          types: ["AppointmentBooked"],
          handler: async (e) => void seen.push(e.data.status),
          batchHandler: async () => {
            batchCalls++;
            throw new Error("transaction rolled back");
          },
        });
        await consumer.idle();
        expect(batchCalls).toBe(1);
        expect(seen).toEqual(["e1", "e2"]);
        await expectAllAcknowledged("g");
      });
    });
  });
}

async function waitFor(condition: () => boolean, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
