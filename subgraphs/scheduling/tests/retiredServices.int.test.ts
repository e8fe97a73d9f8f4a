/**
 * Retired medical services are not booked: scheduling's consumer of doctors' MedicalServiceChanged keeps a projection
 * of service statuses (idempotent, newest event wins), and requestAppointment, overbookAppointment,
 * rescheduleAppointment and joinWaitlist refuse a RETIRED service with BAD_USER_INPUT "service retired" (before the
 * doctor's copy has synced, too); availableSlots filtered by it finds nothing. A service no event told of is looked
 * up once in doctors and remembered.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { randomUUID } from "node:crypto";
import { createMemoryEventBus, STREAMS, type Consumer, type EventBus, type MedicalServiceChangedData } from "@clinigraph/events";
import { createLogger } from "@clinigraph/platform";
import { publishAndSettle } from "@clinigraph/testing";
import { startCatalogueConsumer } from "../src/index.js";
import { BASE_TIME } from "./support/clock.js";
import { appointmentIn, newPatient, newStaff, seedDoctor, slotAt } from "./support/factories.js";
import { codeOf, startHarness, type Harness } from "./support/harness.js";
import { AVAILABLE, JOIN_WAITLIST, OVERBOOK, REQUEST, RESCHEDULE } from "./support/operations.js";

let h: Harness;
let bus: EventBus;
let consumer: Consumer;
beforeAll(async () => {
  h = await startHarness({ horizonDays: 14 });
  const logger = createLogger("scheduling-test", "silent");
  bus = createMemoryEventBus({ logger });
  consumer = startCatalogueConsumer({ bus, deps: h.deps, logger });
});
afterAll(async () => {
  await consumer?.stop();
  await bus?.close();
  await h?.stop();
});

const serviceEvent = (serviceId: string, status: "ACTIVE" | "RETIRED", change: string): MedicalServiceChangedData => ({
  serviceId,
  code: "T_SCAN",
  name: "Test scan",
  kind: "IMAGING",
  durationMinutes: 30,
  status,
  change,
  actorId: randomUUID(),
});

/** Publishes MedicalServiceChanged events (same `id`: a redelivery) and waits until the consumer handled them. */
const serviceChanged = (...events: { data: MedicalServiceChangedData; id?: string; time?: string }[]) =>
  publishAndSettle(
    bus,
    [consumer],
    STREAMS.doctors,
    events.map((e) => ({ type: "MedicalServiceChanged" as const, ...e })),
    BASE_TIME,
  );

const statusRow = (serviceId: string) =>
  h.prisma.$queryRaw<{ status: string; changed_at: Date | null }[]>`
    SELECT status, changed_at FROM scheduling.service_statuses WHERE service_id = ${serviceId}::uuid`;

const minutesAfterBase = (m: number) => new Date(BASE_TIME.getTime() + m * 60_000).toISOString();

describe("the projection of service statuses", () => {
  it("records each change; a redelivery changes nothing and an older event does not undo a newer one", async () => {
    const serviceId = randomUUID();
    const [created] = await serviceChanged({ data: serviceEvent(serviceId, "ACTIVE", "CREATED"), time: minutesAfterBase(1) });
    expect(await statusRow(serviceId)).toEqual([{ status: "ACTIVE", changed_at: new Date(minutesAfterBase(1)) }]);
    await serviceChanged({ data: serviceEvent(serviceId, "RETIRED", "RETIRED"), time: minutesAfterBase(3) });
    // The CREATED event again (redelivered), and a RESTORED one older than the retirement (read out of order).
    await serviceChanged(
      { data: serviceEvent(serviceId, "ACTIVE", "CREATED"), id: created!, time: minutesAfterBase(1) },
      { data: serviceEvent(serviceId, "ACTIVE", "RESTORED"), time: minutesAfterBase(2) },
    );
    expect(await statusRow(serviceId)).toEqual([{ status: "RETIRED", changed_at: new Date(minutesAfterBase(3)) }]);
    await serviceChanged({ data: serviceEvent(serviceId, "ACTIVE", "RESTORED"), time: minutesAfterBase(4) });
    expect((await statusRow(serviceId))[0]!.status).toBe("ACTIVE");
  });

  it("ignores a malformed event (acknowledged, nothing written)", async () => {
    await serviceChanged({ data: { ...serviceEvent("not-a-uuid", "RETIRED", "RETIRED") } });
    const serviceId = randomUUID();
    await serviceChanged({ data: { ...serviceEvent(serviceId, "ACTIVE", "CREATED"), status: "GONE" } });
    expect(await statusRow(serviceId)).toEqual([]);
  });
});

describe("a retired service is not booked", () => {
  it("requestAppointment and overbookAppointment refuse it (before the doctor's copy has synced), the slot stays FREE", async () => {
    const serviceId = randomUUID();
    const doctor = await seedDoctor(h, { serviceIds: [serviceId] });
    await serviceChanged({ data: serviceEvent(serviceId, "RETIRED", "RETIRED") });
    const slot = await slotAt(h, doctor.id, "2026-03-04T10:00");

    const res = await h.call(REQUEST, { input: { slotId: slot.id, serviceId } }, newPatient());
    expect(codeOf(res)).toBe("BAD_USER_INPUT");
    expect(res.errors?.[0]).toMatchObject({ message: "service retired", extensions: { field: "input.serviceId" } });
    const overbook = await h.call(
      OVERBOOK,
      { input: { slotId: slot.id, patientId: newPatient().userId, serviceId, reason: "Urgent follow-up" } },
      newStaff("ADMIN"),
    );
    expect(codeOf(overbook)).toBe("BAD_USER_INPUT");
    expect(overbook.errors?.[0]?.message).toBe("service retired");
    expect((await slotAt(h, doctor.id, "2026-03-04T10:00")).status).toBe("FREE");
    expect(await h.prisma.appointment.count({ where: { doctorId: doctor.id } })).toBe(0);

    // The same doctor is booked without the service, or with another one.
    const other = await h.call(REQUEST, { input: { slotId: slot.id } }, newPatient());
    expect(codeOf(other)).toBe("OK");
  });

  it("rescheduleAppointment refuses to move an appointment whose service was retired since; it stays where it was", async () => {
    const serviceId = randomUUID();
    const doctor = await seedDoctor(h, { serviceIds: [serviceId], autoApprove: true });
    const patient = newPatient();
    const first = await slotAt(h, doctor.id, "2026-03-04T10:00");
    const booked = await h.call<{ requestAppointment: { id: string; status: string } }>(REQUEST, { input: { slotId: first.id, serviceId } }, patient);
    expect(booked.data?.requestAppointment.status).toBe("BOOKED");
    await serviceChanged({ data: serviceEvent(serviceId, "RETIRED", "RETIRED") });

    const later = await slotAt(h, doctor.id, "2026-03-05T10:00");
    const res = await h.call(RESCHEDULE, { id: booked.data!.requestAppointment.id, slotId: later.id }, patient);
    expect(codeOf(res)).toBe("BAD_USER_INPUT");
    expect(res.errors?.[0]?.message).toBe("service retired");
    const row = await h.prisma.appointment.findUniqueOrThrow({ where: { id: booked.data!.requestAppointment.id } });
    expect(row).toMatchObject({ slotId: first.id, serviceId, status: "BOOKED" });
  });

  it("joinWaitlist refuses it and availableSlots filtered by it finds nothing", async () => {
    const serviceId = randomUUID();
    const doctor = await seedDoctor(h, { serviceIds: [serviceId] });
    const filter = { serviceId, from: BASE_TIME.toISOString(), to: minutesAfterBase(7 * 24 * 60) };
    const before = await h.call<{ availableSlots: unknown[] }>(AVAILABLE, { filter, first: 5 });
    expect(before.data?.availableSlots).toHaveLength(5);

    await serviceChanged({ data: serviceEvent(serviceId, "RETIRED", "RETIRED") });
    const after = await h.call<{ availableSlots: unknown[] }>(AVAILABLE, { filter, first: 5 });
    expect(after.errors).toBeUndefined();
    expect(after.data?.availableSlots).toEqual([]);
    const byDoctor = await h.call<{ availableSlots: unknown[] }>(AVAILABLE, { filter: { ...filter, serviceId: undefined, doctorId: doctor.id }, first: 5 });
    expect(byDoctor.data?.availableSlots).toHaveLength(5);

    const join = await h.call(JOIN_WAITLIST, { input: { serviceId, from: filter.from, to: filter.to } }, newPatient());
    expect(codeOf(join)).toBe("BAD_USER_INPUT");
    expect(join.errors?.[0]?.message).toBe("service retired");
  });

  it("a service no event told of is looked up in doctors once, and remembered (an event then overrides it)", async () => {
    const retired = randomUUID();
    const active = randomUUID();
    const doctor = await seedDoctor(h, { serviceIds: [retired, active] });
    h.doctors.serviceStatuses.set(retired, "RETIRED");
    h.doctors.serviceStatuses.set(active, "ACTIVE");
    const lookups = h.doctors.serviceLookups;

    const slot = await slotAt(h, doctor.id, "2026-03-04T10:00");
    expect((await h.call(REQUEST, { input: { slotId: slot.id, serviceId: retired } }, newPatient())).errors?.[0]?.message).toBe("service retired");
    expect((await h.call(REQUEST, { input: { slotId: slot.id, serviceId: retired } }, newPatient())).errors?.[0]?.message).toBe("service retired");
    expect(h.doctors.serviceLookups - lookups).toBe(1);
    expect(await statusRow(retired)).toEqual([{ status: "RETIRED", changed_at: null }]);

    expect(codeOf(await h.call(REQUEST, { input: { slotId: slot.id, serviceId: active } }, newPatient()))).toBe("OK");
    expect(h.doctors.serviceLookups - lookups).toBe(2);

    // Restored later: the event wins over what was looked up.
    await serviceChanged({ data: serviceEvent(retired, "ACTIVE", "RESTORED") });
    expect((await statusRow(retired))[0]!.status).toBe("ACTIVE");
  });

  it("history keeps the service: an appointment booked before the retirement still names it", async () => {
    const serviceId = randomUUID();
    const doctor = await seedDoctor(h, { serviceIds: [serviceId] });
    const made = await appointmentIn(h, "BOOKED", { doctor });
    await h.prisma.appointment.update({ where: { id: made.appointment.id }, data: { serviceId } });
    await serviceChanged({ data: serviceEvent(serviceId, "RETIRED", "RETIRED") });
    const res = await h.call<{ appointment: { service: { id: string } | null } }>(
      `query($id: ID!) { appointment(id: $id) { service { id } } }`,
      { id: made.appointment.id },
      newStaff("ADMIN"),
    );
    expect(res.data?.appointment.service).toEqual({ id: serviceId });
  });
});
