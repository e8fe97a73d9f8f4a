/**
 * A doctor's status on the real database: accounts' UserDeactivated / UserReactivated of a DOCTOR user, as the
 * consumer (group `doctors-accounts`) takes them from the bus, and the ADMIN's deactivateDoctor / reactivateDoctor over
 * HTTP. Each change writes DoctorDeactivated or DoctorReactivated, then DoctorScheduleChanged (its snapshot says
 * `active`), exactly once: a redelivered event, the same event handled by two instances of the group, or the same
 * mutation sent twice (or at once) writes nothing more. Users of other roles, users without a doctor profile, and an
 * event older than the doctor's last status change change nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { randomUUID } from "node:crypto";
import { createMemoryEventBus, STREAMS, type Consumer, type EventBus, type UserAccountChangedData } from "@clinigraph/events";
import { createLogger } from "@clinigraph/platform";
import { publishAndSettle, type TestEvent } from "@clinigraph/testing";
import type { PrismaClient } from "../src/data/prisma.js";
import { createRepositories } from "../src/data/repositories.js";
import { applyUserStatus } from "../src/domain/doctorStatus.js";
import { ACCOUNTS_GROUP, startAccountsConsumer } from "../src/index.js";
import { insertDoctor } from "./support/factories.js";
import { ADMIN, codeOf, doctorCaller, PATIENT, startHarness, type Harness } from "./support/harness.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

type UserEventType = "UserDeactivated" | "UserReactivated";

const userEvent = (type: UserEventType, data: Partial<UserAccountChangedData> & { userId: string }, id?: string): TestEvent<UserEventType> => ({
  type,
  data: { role: "DOCTOR", actorId: null, at: new Date().toISOString(), ...data },
  ...(id ? { id } : {}),
});

/** Publishes accounts' events on the harness's bus and waits until doctors' consumer handled them. */
const publish = (...events: TestEvent<UserEventType>[]) => publishAndSettle(h.bus, h.workers.consumers, STREAMS.accounts, events, new Date());

interface OutboxRow {
  type: string;
  payload: { doctorId: string; doctorUserId?: string | null; actorId?: string | null; at?: string; schedule?: { active?: boolean } };
}
const outboxOf = (doctorId: string) =>
  h.prisma.$queryRaw<OutboxRow[]>`SELECT type, payload FROM doctors.outbox WHERE aggregate_id = ${doctorId}::uuid ORDER BY sequence`;
/** The outbox as types, with the snapshot's `active` for DoctorScheduleChanged: `DoctorScheduleChanged(active=false)`. */
const eventsOf = async (doctorId: string) =>
  (await outboxOf(doctorId)).map((row) => (row.type === "DoctorScheduleChanged" ? `${row.type}(active=${String(row.payload.schedule?.active)})` : row.type));
const statusOf = (doctorId: string) =>
  h.prisma.doctor.findUniqueOrThrow({
    where: { id: doctorId },
    select: { active: true, deactivatedAt: true, deactivationReason: true, statusChangedAt: true },
  });

const DEACTIVATED = ["DoctorDeactivated", "DoctorScheduleChanged(active=false)"];
const REACTIVATED = ["DoctorReactivated", "DoctorScheduleChanged(active=true)"];

describe("accounts' UserDeactivated / UserReactivated", () => {
  it("deactivates the DOCTOR user's doctor: DoctorDeactivated + DoctorScheduleChanged(active false), once under redelivery", async () => {
    const doctor = await insertDoctor(h.prisma);
    const actorId = randomUUID();
    const at = new Date(Date.now() - 60_000).toISOString();
    // The same event twice in one delivery, then once more on its own: a redelivery each time.
    const [eventId] = await publish(userEvent("UserDeactivated", { userId: doctor.userId, actorId, at }));
    await publish(
      userEvent("UserDeactivated", { userId: doctor.userId, actorId, at }, eventId),
      userEvent("UserDeactivated", { userId: doctor.userId, actorId, at }, eventId),
    );

    expect(await statusOf(doctor.id)).toEqual({ active: false, deactivatedAt: new Date(at), deactivationReason: null, statusChangedAt: new Date(at) });
    const rows = await outboxOf(doctor.id);
    expect(rows.map((r) => r.type)).toEqual(["DoctorDeactivated", "DoctorScheduleChanged"]);
    expect(rows[0]!.payload).toEqual({ doctorId: doctor.id, doctorUserId: doctor.userId, actorId, at });
    expect(rows[1]!.payload.schedule).toMatchObject({ active: false });
    // Recorded once, for this consumer.
    expect(await h.prisma.processedEvent.findMany({ where: { eventId: eventId! }, select: { consumer: true } })).toEqual([{ consumer: ACCOUNTS_GROUP }]);
    expect(await h.bus.deadLetters(STREAMS.accounts, ACCOUNTS_GROUP)).toEqual([]);
  });

  it("a UserDeactivated of a DOCTOR user with different letter case in its id still finds the doctor", async () => {
    const doctor = await insertDoctor(h.prisma);
    await publish(userEvent("UserDeactivated", { userId: doctor.userId.toUpperCase() }));
    expect((await statusOf(doctor.id)).active).toBe(false);
    expect(await eventsOf(doctor.id)).toEqual(DEACTIVATED);
  });

  it("reactivates on UserReactivated: DoctorReactivated + DoctorScheduleChanged(active true), once", async () => {
    const doctor = await insertDoctor(h.prisma);
    const t1 = new Date(Date.now() - 120_000).toISOString();
    const t2 = new Date(Date.now() - 60_000).toISOString();
    await publish(userEvent("UserDeactivated", { userId: doctor.userId, at: t1 }));
    const [reactivation] = await publish(userEvent("UserReactivated", { userId: doctor.userId, at: t2 }));
    await publish(userEvent("UserReactivated", { userId: doctor.userId, at: t2 }, reactivation));

    expect(await statusOf(doctor.id)).toEqual({ active: true, deactivatedAt: null, deactivationReason: null, statusChangedAt: new Date(t2) });
    expect(await eventsOf(doctor.id)).toEqual([...DEACTIVATED, ...REACTIVATED]);
  });

  it("a UserReactivated of a doctor that is active changes nothing and writes nothing", async () => {
    const doctor = await insertDoctor(h.prisma);
    await publish(userEvent("UserReactivated", { userId: doctor.userId }));
    expect((await statusOf(doctor.id)).active).toBe(true);
    expect(await outboxOf(doctor.id)).toEqual([]);
  });

  it("ignores users of other roles, users without a doctor profile and malformed user ids", async () => {
    const doctor = await insertDoctor(h.prisma);
    const outboxBefore = await h.prisma.outboxEvent.count();
    const doctorsBefore = await h.prisma.doctor.findMany({ select: { id: true, active: true, updatedAt: true }, orderBy: { id: "asc" } });
    await publish(
      // A PATIENT (or any non-DOCTOR) user deactivated, even one whose id a doctor row carries (a role changed since).
      userEvent("UserDeactivated", { userId: randomUUID(), role: "PATIENT" }),
      userEvent("UserDeactivated", { userId: doctor.userId, role: "RECEPTIONIST" }),
      // A DOCTOR user without a doctor profile.
      userEvent("UserDeactivated", { userId: randomUUID() }),
      userEvent("UserReactivated", { userId: randomUUID() }),
      userEvent("UserDeactivated", { userId: "not-a-uuid" }),
    );
    expect(await h.prisma.outboxEvent.count()).toBe(outboxBefore);
    expect(await h.prisma.doctor.findMany({ select: { id: true, active: true, updatedAt: true }, orderBy: { id: "asc" } })).toEqual(doctorsBefore);
    expect(await h.bus.deadLetters(STREAMS.accounts, ACCOUNTS_GROUP)).toEqual([]);
  });

  it("an event older than the doctor's last status change is ignored (late redelivery, or an ADMIN's change since)", async () => {
    const doctor = await insertDoctor(h.prisma);
    const earlier = new Date(Date.now() - 120_000).toISOString();
    const later = new Date(Date.now() - 60_000).toISOString();
    // Deactivated at `later`; a reactivation made before it arrives after it.
    await publish(userEvent("UserDeactivated", { userId: doctor.userId, at: later }));
    await publish(userEvent("UserReactivated", { userId: doctor.userId, at: earlier }));
    expect(await statusOf(doctor.id)).toMatchObject({ active: false, statusChangedAt: new Date(later) });
    expect(await eventsOf(doctor.id)).toEqual(DEACTIVATED);

    // The ADMIN reactivates now; accounts' older deactivation (an hour ago) then arrives: the doctor stays active.
    const res = await h.call(`mutation($id: ID!) { reactivateDoctor(id: $id) { active } }`, { id: doctor.id }, ADMIN);
    expect(res.errors).toBeUndefined();
    await publish(userEvent("UserDeactivated", { userId: doctor.userId, at: new Date(Date.now() - 3_600_000).toISOString() }));
    expect((await statusOf(doctor.id)).active).toBe(true);
    expect(await eventsOf(doctor.id)).toEqual([...DEACTIVATED, ...REACTIVATED]);
  });

  describe("two instances of the group", () => {
    let bus: EventBus;
    const instances: Consumer[] = [];
    /** Events each instance was handed (its deps are asked for the user's doctor once per event). */
    const handled = [0, 0];

    beforeAll(() => {
      // A bus of their own: the two instances are the only members of the group on it.
      bus = createMemoryEventBus();
      const logger = createLogger("doctors-test", "silent");
      for (const i of [0, 1]) {
        const repositories = createRepositories(h.prisma as unknown as PrismaClient, h.sql);
        const deps = {
          unitOfWork: repositories.unitOfWork,
          doctors: {
            ...repositories.doctors,
            findByUserId: (userId: string) => {
              handled[i]!++;
              return repositories.doctors.findByUserId(userId);
            },
          },
        };
        // One entry per read (subscribe takes batchSize): copies of an event go to both instances, handled side by side.
        const options = { bus, deps, logger, consumer: `doctors-accounts@instance-${i}`, batchSize: 1 };
        instances.push(startAccountsConsumer(options));
      }
    });
    afterAll(async () => {
      for (const instance of instances) await instance.stop();
      await bus?.close();
    });

    it("handle copies of the same event side by side: the doctor is deactivated, and the events written, once", async () => {
      const doctor = await insertDoctor(h.prisma);
      const event = userEvent("UserDeactivated", { userId: doctor.userId }, randomUUID());
      await publishAndSettle(
        bus,
        instances,
        STREAMS.accounts,
        Array.from({ length: 8 }, () => event),
        new Date(),
      );

      expect(handled[0]! + handled[1]!).toBe(8);
      expect(handled[0]).toBeGreaterThan(0);
      expect(handled[1]).toBeGreaterThan(0);
      expect((await statusOf(doctor.id)).active).toBe(false);
      expect(await eventsOf(doctor.id)).toEqual(DEACTIVATED);
      expect(await bus.deadLetters(STREAMS.accounts, ACCOUNTS_GROUP)).toEqual([]);
    });
  });

  it("the same event handled in two transactions at the same moment changes the doctor once (the claim serialises them)", async () => {
    const doctor = await insertDoctor(h.prisma);
    // Each call in a transaction of its own, on its own connection, started together.
    const repositories = createRepositories(h.prisma as unknown as PrismaClient, h.sql);
    const event = { eventId: randomUUID(), active: false, userId: doctor.userId, role: "DOCTOR", actorId: null, at: new Date().toISOString() };
    const outcomes = await Promise.all([applyUserStatus(repositories, ACCOUNTS_GROUP, event), applyUserStatus(repositories, ACCOUNTS_GROUP, event)]);
    expect(outcomes.sort()).toEqual(["CHANGED", "HANDLED_BEFORE"]);
    expect(await eventsOf(doctor.id)).toEqual(DEACTIVATED);
  });
});

describe("deactivateDoctor / reactivateDoctor (ADMIN)", () => {
  const DEACTIVATE = `mutation($id: ID!, $reason: String!) { deactivateDoctor(id: $id, reason: $reason) { id active deactivatedAt } }`;
  const REACTIVATE = `mutation($id: ID!) { reactivateDoctor(id: $id) { id active deactivatedAt } }`;

  it("is idempotent: sent twice, or twice at once, the doctor is deactivated and the events written once", async () => {
    const doctor = await insertDoctor(h.prisma);
    const first = await h.call(DEACTIVATE, { id: doctor.id, reason: "Left the clinic" }, ADMIN);
    expect(first.errors).toBeUndefined();
    expect(first.data.deactivateDoctor).toEqual({ id: doctor.id, active: false, deactivatedAt: expect.any(String) });
    const again = await h.call(DEACTIVATE, { id: doctor.id, reason: "Another reason" }, ADMIN);
    // Unchanged: the first deactivation's time and reason stay.
    expect(again.data.deactivateDoctor).toEqual(first.data.deactivateDoctor);
    expect(await statusOf(doctor.id)).toMatchObject({ active: false, deactivationReason: "Left the clinic" });
    const rows = await outboxOf(doctor.id);
    expect(rows.map((r) => r.type)).toEqual(["DoctorDeactivated", "DoctorScheduleChanged"]);
    expect(rows[0]!.payload).toMatchObject({ doctorId: doctor.id, doctorUserId: doctor.userId, actorId: (ADMIN as { userId: string }).userId });

    const concurrent = await insertDoctor(h.prisma);
    const answers = await Promise.all([0, 1, 2].map(() => h.call(DEACTIVATE, { id: concurrent.id, reason: "Left" }, ADMIN)));
    for (const answer of answers) expect(answer.data.deactivateDoctor).toMatchObject({ id: concurrent.id, active: false });
    expect(await eventsOf(concurrent.id)).toEqual(DEACTIVATED);
  });

  it("reactivateDoctor is idempotent too, and the doctor is found by the search again", async () => {
    const doctor = await insertDoctor(h.prisma, { name: `Dr. Status ${randomUUID().slice(0, 8)}` });
    const search = async () =>
      (await h.call(`query($name: String) { doctors(filter: { name: $name }) { edges { node { id } } } }`, { name: doctor.name })).data.doctors.edges;
    expect((await h.call(DEACTIVATE, { id: doctor.id, reason: "On leave" }, ADMIN)).errors).toBeUndefined();
    expect(await search()).toEqual([]);
    // `doctor(id)` still answers for the inactive doctor.
    expect((await h.call(`query($id: ID!) { doctor(id: $id) { id active } }`, { id: doctor.id })).data.doctor).toEqual({ id: doctor.id, active: false });

    for (let i = 0; i < 2; i++) {
      const res = await h.call(REACTIVATE, { id: doctor.id }, ADMIN);
      expect(res.data.reactivateDoctor).toEqual({ id: doctor.id, active: true, deactivatedAt: null });
    }
    expect(await eventsOf(doctor.id)).toEqual([...DEACTIVATED, ...REACTIVATED]);
    expect(await search()).toEqual([{ node: { id: doctor.id } }]);
  });

  it("refuses other roles, a blank or too long reason and unknown ids, writing nothing", async () => {
    const doctor = await insertDoctor(h.prisma);
    expect(codeOf(await h.call(DEACTIVATE, { id: doctor.id, reason: "x" }, PATIENT))).toBe("FORBIDDEN");
    expect(codeOf(await h.call(DEACTIVATE, { id: doctor.id, reason: "x" }, doctorCaller(doctor.userId)))).toBe("FORBIDDEN");
    expect(codeOf(await h.call(REACTIVATE, { id: doctor.id }, doctorCaller(doctor.userId)))).toBe("FORBIDDEN");
    expect(codeOf(await h.call(DEACTIVATE, { id: doctor.id, reason: "x" }, "anonymous"))).toBe("UNAUTHENTICATED");
    const blank = await h.call(DEACTIVATE, { id: doctor.id, reason: "   " }, ADMIN);
    expect(blank.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "reason" });
    expect(codeOf(await h.call(DEACTIVATE, { id: doctor.id, reason: "r".repeat(501) }, ADMIN))).toBe("BAD_USER_INPUT");
    expect(codeOf(await h.call(DEACTIVATE, { id: doctor.id, reason: "Bidi \u202E text" }, ADMIN))).toBe("BAD_USER_INPUT");
    expect(codeOf(await h.call(DEACTIVATE, { id: randomUUID(), reason: "Left" }, ADMIN))).toBe("NOT_FOUND");
    expect(codeOf(await h.call(REACTIVATE, { id: randomUUID() }, ADMIN))).toBe("NOT_FOUND");
    expect((await statusOf(doctor.id)).active).toBe(true);
    expect(await outboxOf(doctor.id)).toEqual([]);
  });
});
