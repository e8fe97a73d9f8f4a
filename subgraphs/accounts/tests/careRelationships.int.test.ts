/**
 * Care relationships against real PostgreSQL (ADR 0011): the projection consumer applies scheduling's
 * appointment events once each (redelivery has no second effect), and the accounts subgraph lets a
 * doctor read a patient's profile — by `patient(id)` or `_entities` — only with a relationship, asking
 * scheduling (faked here) once per request for what the projection does not know, failing closed.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { randomUUID } from "node:crypto";
import { createEnvelope, createMemoryEventBus, STREAMS, type AppointmentEventData, type EventBus } from "@clinigraph/events";
import { createLogger, type Identity } from "@clinigraph/platform";
import { callSubgraph, uniqueEmail, type TestCaller } from "@clinigraph/testing";
import { startCareProjection, CARE_PROJECTION_GROUP } from "../src/index.js";
import { startTestAccounts } from "./support/harness.js";

/** A scheduling stand-in: confirms `appointments` (doctor user id → patient ids), or fails when `down`. */
const scheduling = {
  appointments: new Map<string, Set<string>>(),
  down: false,
  calls: [] as { doctor: Identity; patientIds: string[] }[],
  async confirm(doctor: Identity, patientIds: readonly string[]) {
    this.calls.push({ doctor, patientIds: [...patientIds] });
    if (this.down) throw new Error("scheduling unreachable");
    const mine = this.appointments.get(doctor.userId ?? "") ?? new Set();
    return patientIds.filter((id) => mine.has(id));
  },
};

let accounts: Awaited<ReturnType<typeof startTestAccounts>>;
let url: string;
let bus: EventBus;

beforeAll(async () => {
  accounts = await startTestAccounts({}, { scheduling: { confirm: (doctor, ids) => scheduling.confirm(doctor, ids) } });
  url = accounts.url;
  bus = createMemoryEventBus({ logger: createLogger("events-test", "silent") });
});

afterAll(async () => {
  await bus?.close();
  await accounts?.close();
});

async function newPatient(name: string) {
  const res = await callSubgraph<{ registerPatient: { user: { id: string } } }>(
    url,
    `mutation($i: RegisterPatientInput!) { registerPatient(input: $i) { user { id } } }`,
    { i: { email: uniqueEmail("cared"), password: "Correct-horse-42", name } },
  );
  return res.data!.registerPatient.user.id;
}

const newDoctor = (): TestCaller => ({ userId: randomUUID(), role: "DOCTOR" });

const appointmentData = (patientId: string, doctorUserId: string | undefined, status = "PENDING"): AppointmentEventData => ({
  appointmentId: randomUUID(),
  patientId,
  doctorId: randomUUID(),
  ...(doctorUserId ? { doctorUserId } : {}),
  serviceId: null,
  status,
  startsAt: "2027-03-22T08:00:00.000Z",
  endsAt: "2027-03-22T08:30:00.000Z",
  actorId: patientId,
});

const PATIENT_QUERY = `query($id: ID!) { patient(id: $id) { id name } }`;
const ENTITIES = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Patient { id name } } }`;

describe("the care-relationship projection (consumer accounts-care)", () => {
  it("records a relationship per event, once per event id, keeping the earliest time", async () => {
    const consumer = startCareProjection({ bus, deps: { careRelationships: accounts.careRelationships }, logger: createLogger("care-test", "silent") });
    try {
      const patientId = randomUUID();
      const doctorUserId = randomUUID();
      const requested = createEnvelope("AppointmentRequested", appointmentData(patientId, doctorUserId), { time: "2027-03-22T07:00:00.000Z" });
      await bus.publish(STREAMS.appointments, [requested]);
      await consumer.idle();
      expect(await accounts.careRelationships.ofPatient(patientId)).toEqual([
        { doctorUserId, patientId, since: new Date("2027-03-22T07:00:00.000Z"), source: "appointment" },
      ]);

      // Redelivery (at least once): the same envelope again, then later and earlier events of the pair.
      await bus.publish(STREAMS.appointments, [
        requested,
        createEnvelope("AppointmentBooked", { ...requested.data, status: "BOOKED" }, { time: "2027-03-22T07:10:00.000Z" }),
        createEnvelope("AppointmentRejected", appointmentData(patientId, doctorUserId, "REJECTED"), { time: "2027-03-01T09:00:00.000Z" }),
      ]);
      await consumer.idle();
      expect(await accounts.careRelationships.ofPatient(patientId)).toEqual([
        { doctorUserId, patientId, since: new Date("2027-03-01T09:00:00.000Z"), source: "appointment" },
      ]);
      const processed = await accounts.prisma.processedEvent.count({ where: { consumer: CARE_PROJECTION_GROUP, eventId: requested.id } });
      expect(processed).toBe(1);

      // Events written before doctorUserId existed, and other streams' events, change nothing.
      const patientOfOldEvent = randomUUID();
      await bus.publish(STREAMS.appointments, [createEnvelope("AppointmentRequested", appointmentData(patientOfOldEvent, undefined))]);
      await consumer.idle();
      expect(await accounts.careRelationships.ofPatient(patientOfOldEvent)).toEqual([]);
      expect(await bus.deadLetters(STREAMS.appointments, CARE_PROJECTION_GROUP)).toEqual([]);
    } finally {
      await consumer.stop();
    }
  });

  it("two concurrent deliveries of one event apply it once", async () => {
    const relationship = { doctorUserId: randomUUID(), patientId: randomUUID(), since: new Date("2027-03-22T07:00:00Z"), source: "appointment" as const };
    const eventId = randomUUID();
    const results = await Promise.all([
      accounts.careRelationships.recordFromEvent(CARE_PROJECTION_GROUP, eventId, relationship),
      accounts.careRelationships.recordFromEvent(CARE_PROJECTION_GROUP, eventId, relationship),
    ]);
    expect(results.sort()).toEqual([false, true]);
    expect(await accounts.careRelationships.ofPatient(relationship.patientId)).toHaveLength(1);
  });

  it("a block of events is applied in one statement: each event once, a pair's earliest time, overlapping blocks at once", async () => {
    const doctorUserId = randomUUID();
    const [first, second] = [randomUUID(), randomUUID()];
    const at = (iso: string, patientId: string) => ({ doctorUserId, patientId, since: new Date(iso), source: "appointment" as const });
    const ids = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    const block = [
      { eventId: ids[0]!, relationship: at("2027-03-22T07:00:00Z", first) },
      { eventId: ids[1]!, relationship: at("2027-03-20T07:00:00Z", first) },
      { eventId: ids[0]!, relationship: at("2027-03-22T07:00:00Z", first) }, // the same event twice in a block
      { eventId: ids[2]!, relationship: at("2027-03-25T07:00:00Z", second) },
    ];
    const overlapping = [block[3]!, { eventId: ids[3]!, relationship: at("2027-03-24T07:00:00Z", second) }];
    const counts = await Promise.all([
      accounts.careRelationships.recordFromEvents(CARE_PROJECTION_GROUP, block),
      accounts.careRelationships.recordFromEvents(CARE_PROJECTION_GROUP, overlapping),
    ]);
    // ids[2] is in both blocks: exactly one of them applied it.
    expect(counts[0]! + counts[1]!).toBe(4);
    expect(await accounts.careRelationships.ofPatient(first)).toEqual([{ ...at("2027-03-20T07:00:00Z", first) }]);
    expect(await accounts.careRelationships.ofPatient(second)).toEqual([{ ...at("2027-03-24T07:00:00Z", second) }]);
    expect(await accounts.careRelationships.recordFromEvents(CARE_PROJECTION_GROUP, block)).toBe(0);
    const processed = await accounts.prisma.processedEvent.count({ where: { consumer: CARE_PROJECTION_GROUP, eventId: { in: ids } } });
    expect(processed).toBe(4);
  });
});

describe("a doctor reading patients", () => {
  it("is refused without a care relationship, by patient(id) and by _entities (null and FORBIDDEN)", async () => {
    const patientId = await newPatient("Stranger Patient");
    const doctor = newDoctor();
    const direct = await callSubgraph(url, PATIENT_QUERY, { id: patientId }, doctor);
    expect(direct.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect(direct.data?.patient).toBeNull();
    const entity = await callSubgraph<{ _entities: unknown[] }>(url, ENTITIES, { r: [{ __typename: "Patient", id: patientId }] }, doctor);
    expect(entity.data?._entities).toEqual([null]);
    expect(entity.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    // Scheduling was asked, with the doctor's own identity.
    expect(scheduling.calls.at(-1)).toMatchObject({ doctor: { userId: doctor.userId, role: "DOCTOR" }, patientIds: [patientId] });
  });

  it("reads a patient the projection knows without asking scheduling", async () => {
    const patientId = await newPatient("Known Patient");
    const doctor = newDoctor();
    await accounts.careRelationships.record([{ doctorUserId: doctor.userId!, patientId, since: new Date(), source: "appointment" }]);
    const before = scheduling.calls.length;
    const res = await callSubgraph<{ patient: { name: string } }>(url, PATIENT_QUERY, { id: patientId }, doctor);
    expect(res.data?.patient.name).toBe("Known Patient");
    expect(scheduling.calls.length).toBe(before);
  });

  it("on a miss asks scheduling once for all patients of the request, and stores what it confirms", async () => {
    const doctor = newDoctor();
    const [a, b, c] = [await newPatient("Patient A"), await newPatient("Patient B"), await newPatient("Patient C")];
    scheduling.appointments.set(doctor.userId!, new Set([a, b]));
    const before = scheduling.calls.length;
    const res = await callSubgraph<{ _entities: ({ id: string; name: string } | null)[] }>(
      url,
      ENTITIES,
      { r: [a, b, c, a].map((id) => ({ __typename: "Patient", id })) },
      doctor,
    );
    expect(res.data?._entities.map((p) => p?.name ?? null)).toEqual(["Patient A", "Patient B", null, "Patient A"]);
    expect(res.errors?.map((e) => e.extensions?.code)).toEqual(["FORBIDDEN"]);
    expect(scheduling.calls.length - before).toBe(1);
    expect(new Set(scheduling.calls.at(-1)!.patientIds)).toEqual(new Set([a, b, c]));
    expect((await accounts.careRelationships.ofPatient(a)).map((r) => [r.doctorUserId, r.source])).toEqual([[doctor.userId, "appointment-check"]]);
    expect(await accounts.careRelationships.ofPatient(c)).toEqual([]);

    // Stored: the next read needs no question.
    await callSubgraph(url, PATIENT_QUERY, { id: b }, doctor);
    expect(scheduling.calls.length - before).toBe(1);
  });

  it("fails closed while scheduling is down: what the projection knows stands, the rest is refused", async () => {
    const doctor = newDoctor();
    const known = await newPatient("Known While Down");
    const unknown = await newPatient("Unknown While Down");
    await accounts.careRelationships.record([{ doctorUserId: doctor.userId!, patientId: known, since: new Date(), source: "appointment" }]);
    scheduling.appointments.set(doctor.userId!, new Set([known, unknown]));
    scheduling.down = true;
    try {
      const res = await callSubgraph<{ _entities: ({ name: string } | null)[] }>(
        url,
        ENTITIES,
        { r: [known, unknown].map((id) => ({ __typename: "Patient", id })) },
        doctor,
      );
      expect(res.data?._entities.map((p) => p?.name ?? null)).toEqual(["Known While Down", null]);
      expect(res.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    } finally {
      scheduling.down = false;
    }
    const after = await callSubgraph<{ patient: { name: string } }>(url, PATIENT_QUERY, { id: unknown }, doctor);
    expect(after.data?.patient.name).toBe("Unknown While Down");
  });

  it("another doctor's relationship gives nothing; staff and the patient need none", async () => {
    const patientId = await newPatient("Cared By One");
    const mine = newDoctor();
    const other = newDoctor();
    await accounts.careRelationships.record([{ doctorUserId: mine.userId!, patientId, since: new Date(), source: "appointment" }]);
    expect((await callSubgraph(url, PATIENT_QUERY, { id: patientId }, other)).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const reception: TestCaller = { userId: randomUUID(), role: "RECEPTIONIST" };
    expect((await callSubgraph<{ patient: { name: string } }>(url, PATIENT_QUERY, { id: patientId }, reception)).data?.patient.name).toBe("Cared By One");
    const self: TestCaller = { userId: patientId, role: "PATIENT" };
    expect((await callSubgraph<{ patient: { name: string } }>(url, PATIENT_QUERY, { id: patientId }, self)).data?.patient.name).toBe("Cared By One");
  });
});
