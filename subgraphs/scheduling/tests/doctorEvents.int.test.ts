/**
 * Scheduling's consumer of the doctors stream (group `scheduling-doctors`, ADR 5): `DoctorScheduleChanged` re-reads
 * the doctor from the doctors subgraph and regenerates their slots, as `syncDoctorSlots` does; a redelivery or a late
 * event changes nothing more, an unknown doctor is acknowledged, and doctors being unreachable is retried.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { randomUUID } from "node:crypto";
import { createMemoryEventBus, STREAMS, type Consumer, type EventBus } from "@clinigraph/events";
import { createLogger } from "@clinigraph/platform";
import { publishAndSettle } from "@clinigraph/testing";
import { startDoctorsConsumer, type DoctorSnapshot } from "../src/index.js";
import { BASE_TIME } from "./support/clock.js";
import { doctorSnapshot, seedDoctor, slotAt, weekdays } from "./support/factories.js";
import { startHarness, type Harness } from "./support/harness.js";

let h: Harness;
let bus: EventBus;
let consumer: Consumer;
beforeAll(async () => {
  h = await startHarness({ horizonDays: 14 });
  const logger = createLogger("scheduling-test", "silent");
  bus = createMemoryEventBus({ logger });
  consumer = startDoctorsConsumer({ bus, deps: h.deps, logger });
});
afterAll(async () => {
  await consumer?.stop();
  await bus?.close();
  await h?.stop();
});

/** Publishes DoctorScheduleChanged for each doctor (same `id`: a redelivery) and waits until the consumer handled them. */
const scheduleChanged = (...events: { doctorId: string; id?: string }[]) =>
  publishAndSettle(
    bus,
    [consumer],
    STREAMS.doctors,
    events.map(({ doctorId, id }) => ({ type: "DoctorScheduleChanged" as const, data: { doctorId }, ...(id ? { id } : {}) })),
    BASE_TIME,
  );

const slotsOf = async (doctorId: string) =>
  (await h.prisma.slot.findMany({ where: { doctorId }, orderBy: { startsAt: "asc" } })).map((s) => `${s.id} ${s.startsAt.toISOString()} ${s.status}`);

describe("DoctorScheduleChanged", () => {
  it("gives a doctor new to scheduling their profile and the horizon's slots", async () => {
    const snapshot = doctorSnapshot({ autoApprove: true, location: "Potsdam" });
    h.doctors.put(snapshot);
    await scheduleChanged({ doctorId: snapshot.id });
    expect(await h.prisma.slot.count({ where: { doctorId: snapshot.id, status: "FREE" } })).toBe(160); // 10 weekdays × 16
    expect(await h.prisma.doctorProfile.findUniqueOrThrow({ where: { doctorId: snapshot.id } })).toMatchObject({
      userId: snapshot.userId,
      autoApprove: true,
      location: "Potsdam",
    });
  });

  it("regenerates the slots after a change; a redelivery, or the same change announced again, changes nothing", async () => {
    const doctor = await seedDoctor(h);
    const changed: DoctorSnapshot = {
      ...doctor.snapshot,
      rules: weekdays("09:00", "12:00"),
      timeOff: [{ from: "2026-03-05T00:00:00+01:00", to: "2026-03-06T00:00:00+01:00" }], // Thursday
    };
    h.doctors.put(changed);
    const [eventId] = await scheduleChanged({ doctorId: doctor.id });
    expect((await slotAt(h, doctor.id, "2026-03-04T11:30")).status).toBe("FREE");
    expect(
      await h.prisma.slot.count({ where: { doctorId: doctor.id, startsAt: { gte: new Date("2026-03-04T11:00:00Z"), lt: new Date("2026-03-05T00:00:00Z") } } }),
    ).toBe(0);
    expect((await slotAt(h, doctor.id, "2026-03-05T10:00")).status).toBe("BLOCKED");
    const after = await slotsOf(doctor.id);
    expect(after).toHaveLength(10 * 6);

    await scheduleChanged({ doctorId: doctor.id, id: eventId }, { doctorId: doctor.id });
    expect(await slotsOf(doctor.id)).toEqual(after);
  });

  it("acknowledges an event for a doctor the doctors subgraph does not know (nothing to sync)", async () => {
    const unknown = randomUUID();
    await scheduleChanged({ doctorId: unknown }, { doctorId: "not-a-uuid" });
    expect(await h.prisma.slot.count({ where: { doctorId: unknown } })).toBe(0);
    expect(await bus.deadLetters(STREAMS.doctors, "scheduling-doctors")).toEqual([]);
  });

  it("retries while the doctors subgraph cannot be reached, then syncs", async () => {
    const snapshot = doctorSnapshot();
    h.doctors.put(snapshot);
    const fetchDoctor = h.doctors.fetchDoctor.bind(h.doctors);
    let failures = 1;
    h.doctors.fetchDoctor = async (id) => {
      if (failures-- > 0) throw new Error("doctors is unavailable");
      return fetchDoctor(id);
    };
    try {
      await scheduleChanged({ doctorId: snapshot.id });
    } finally {
      h.doctors.fetchDoctor = fetchDoctor;
    }
    expect(failures).toBe(-1);
    expect(await h.prisma.slot.count({ where: { doctorId: snapshot.id } })).toBe(160);
  });
});
