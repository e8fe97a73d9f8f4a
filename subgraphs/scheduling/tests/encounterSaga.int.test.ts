/**
 * The saga back from clinical (ADR 12): scheduling's consumer of the clinical stream (group
 * `scheduling-clinical`) fulfils the checked-in appointment when its encounter is finished or refused — as
 * the system, once, however often the event is delivered.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { randomUUID } from "node:crypto";
import { createEnvelope, createMemoryEventBus, STREAMS, type Consumer, type EncounterEventData, type EventBus } from "@clinigraph/events";
import { createLogger } from "@clinigraph/platform";
import { REFUSED_NOTE, startClinicalConsumer } from "../src/index.js";
import { appointmentIn, appointmentRow, historyActions, outboxTypes } from "./support/factories.js";
import { startHarness, type Harness } from "./support/harness.js";

let h: Harness;
let bus: EventBus;
let consumer: Consumer;
beforeAll(async () => {
  h = await startHarness();
  bus = createMemoryEventBus();
  consumer = startClinicalConsumer({ bus, deps: h.deps, logger: createLogger("scheduling-test", "silent") });
});
afterAll(async () => {
  await consumer?.stop();
  await bus?.close();
  await h?.stop();
});

function encounterEvent(
  type: "EncounterFinished" | "EncounterRefused" | "EncounterStarted",
  made: Awaited<ReturnType<typeof appointmentIn>>,
  appointmentId: string | null = made.appointment.id,
) {
  const data: EncounterEventData = {
    encounterId: randomUUID(),
    patientId: made.patient.userId,
    doctorId: made.doctor.id,
    doctorUserId: made.doctor.actor.userId,
    appointmentId,
    status: type === "EncounterFinished" ? "FINISHED" : type === "EncounterRefused" ? "REFUSED" : "IN_PROGRESS",
    actorId: made.doctor.actor.userId,
    pendingExaminations: 0,
  };
  return createEnvelope(type, data);
}

async function deliver(...events: ReturnType<typeof encounterEvent>[]) {
  await bus.publish(STREAMS.clinical, events);
  await consumer.idle();
}

const changes = (appointmentId: string) => h.prisma.appointmentChange.findMany({ where: { appointmentId }, orderBy: { seq: "asc" } });

describe("scheduling's consumer of encounter outcomes", () => {
  it("EncounterFinished fulfils the checked-in appointment as the system, once; a redelivery changes nothing", async () => {
    const made = await appointmentIn(h, "CHECKED_IN");
    const finished = encounterEvent("EncounterFinished", made);
    await deliver(finished);
    expect((await appointmentRow(h, made.appointment.id)).status).toBe("FULFILLED");
    const last = (await changes(made.appointment.id)).at(-1)!;
    expect(last).toMatchObject({ action: "FULFILL", actorId: null, actorRole: null, fromStatus: "CHECKED_IN", toStatus: "FULFILLED", reasonEnc: null });
    const fulfilled = await h.prisma.outboxEvent.findMany({ where: { aggregateId: made.appointment.id, type: "AppointmentFulfilled" } });
    expect(fulfilled).toHaveLength(1);
    expect(fulfilled[0]!.payload).toMatchObject({ status: "FULFILLED", actorId: null });

    const before = { history: await historyActions(h, made.appointment.id), outbox: await outboxTypes(h, made.appointment.id) };
    await deliver(finished, finished);
    expect(await historyActions(h, made.appointment.id)).toEqual(before.history);
    expect(await outboxTypes(h, made.appointment.id)).toEqual(before.outbox);
    expect(before.history.filter((a) => a === "FULFILL")).toHaveLength(1);
  });

  it("EncounterRefused ends the appointment too: FULFILLED (the visit took place), with the refusal noted in its history", async () => {
    const made = await appointmentIn(h, "CHECKED_IN");
    await deliver(encounterEvent("EncounterRefused", made));
    expect((await appointmentRow(h, made.appointment.id)).status).toBe("FULFILLED");
    const last = (await changes(made.appointment.id)).at(-1)!;
    expect(last).toMatchObject({ action: "FULFILL", actorId: null, toStatus: "FULFILLED" });
    expect(last.reasonEnc).not.toBeNull();
    expect(h.deps.cipher.decrypt(last.reasonEnc!)).toBe(REFUSED_NOTE);
  });

  it("leaves alone what is not a checked-in appointment's outcome: other encounter events, walk-ins, unknown or already fulfilled appointments", async () => {
    const checkedIn = await appointmentIn(h, "CHECKED_IN");
    const fulfilled = await appointmentIn(h, "FULFILLED");
    const booked = await appointmentIn(h, "BOOKED");
    const snapshot = async () =>
      Promise.all([checkedIn, fulfilled, booked].map(async (m) => [await appointmentRow(h, m.appointment.id), await historyActions(h, m.appointment.id)]));
    const before = await snapshot();
    await deliver(
      encounterEvent("EncounterStarted", checkedIn),
      encounterEvent("EncounterFinished", checkedIn, null),
      encounterEvent("EncounterFinished", checkedIn, randomUUID()),
      encounterEvent("EncounterFinished", fulfilled),
      encounterEvent("EncounterRefused", booked),
    );
    expect(await snapshot()).toEqual(before);
    expect(await bus.deadLetters(STREAMS.clinical, "scheduling-clinical")).toEqual([]);
  });
});
