/** The staff action log in accounts: staff writes reported by other subgraphs and accounts' own, filtered by target, action and request. */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { randomUUID } from "node:crypto";
import { callSubgraph, uniqueEmail, type TestCaller } from "@clinigraph/testing";
import { STREAMS, createEnvelope, createMemoryEventBus, type StaffActionRecordedData } from "@clinigraph/events";
import { createLogger } from "@clinigraph/platform";
import { startAuditProjection } from "../src/index.js";
import { startTestAccounts } from "./support/harness.js";

let accounts: Awaited<ReturnType<typeof startTestAccounts>>;
const admin: TestCaller = { userId: "00000000-0000-4000-8000-0000000000b2", role: "ADMIN" };
const reception: TestCaller = { userId: "00000000-0000-4000-8000-0000000000b1", role: "RECEPTIONIST" };

interface Entry {
  action: string;
  actorRole: string | null;
  targetType: string | null;
  targetId: string | null;
  patient: { id: string } | null;
  requestId: string | null;
}
const LOG = `query($t: ID, $a: String, $r: String, $p: ID) {
  auditLog(targetId: $t, action: $a, requestId: $r, patientId: $p, first: 20) { edges { node { action actorRole targetType targetId patient { id } requestId } } }
}`;
const log = async (filter: { t?: string; a?: string; r?: string; p?: string }) => {
  const res = await callSubgraph<{ auditLog: { edges: { node: Entry }[] } }>(accounts.url, LOG, filter, admin);
  expect(res.errors).toBeUndefined();
  return res.data!.auditLog.edges.map((e) => e.node);
};

beforeAll(async () => {
  accounts = await startTestAccounts();
});

afterAll(async () => {
  await accounts?.close();
});

describe("staff action log", () => {
  it("keeps staff writes other subgraphs report (StaffActionRecorded) once each, filterable by target, action and request", async () => {
    const bus = createMemoryEventBus();
    const consumer = startAuditProjection({ bus, deps: { audit: accounts.audit }, logger: createLogger("staff-actions-test", "silent") });
    try {
      const doctorId = randomUUID();
      const requestId = `req-${randomUUID()}`;
      const action: StaffActionRecordedData = {
        actionId: randomUUID(),
        actorId: admin.userId!,
        actorRole: "ADMIN",
        action: "updateDoctor",
        targetType: "Doctor",
        targetId: doctorId,
        patientId: null,
        requestId,
        at: "2026-12-07T10:00:00.000Z",
      };
      const event = createEnvelope("StaffActionRecorded", action);
      // At least once delivery: the same event twice is one entry.
      await bus.publish(STREAMS.audit, [event, { ...event, id: randomUUID() }]);
      await consumer.idle();
      const expected = { action: "updateDoctor", actorRole: "ADMIN", targetType: "Doctor", targetId: doctorId, patient: null, requestId };
      expect(await log({ t: doctorId })).toEqual([expected]);
      expect(await log({ r: requestId })).toEqual([expected]);
      expect((await log({ a: "updateDoctor", t: doctorId })).length).toBe(1);
      expect(await log({ a: "approveAppointment", t: doctorId })).toEqual([]);
      expect(await accounts.audit.recordStaffActions([action])).toBe(0);
    } finally {
      await consumer.stop();
      await bus.close();
    }
  });

  it("records accounts' own staff writes once, with their target; a patient's own writes and failed writes are not staff actions", async () => {
    const email = uniqueEmail("desk");
    const created = await callSubgraph<{ registerPatient: { user: { id: string } } }>(
      accounts.url,
      `mutation($i: RegisterPatientInput!) { registerPatient(input: $i) { user { id } } }`,
      { i: { email, password: "Correct-horse-42", name: "Desk Registered" } },
      reception,
    );
    expect(created.errors).toBeUndefined();
    const patientId = created.data!.registerPatient.user.id;
    expect(await log({ a: "registerPatient", t: patientId })).toEqual([
      { action: "registerPatient", actorRole: "RECEPTIONIST", targetType: "User", targetId: patientId, patient: { id: patientId }, requestId: "test" },
    ]);
    // A staff write about the patient is not a read of their record: "who read my record" leaves it out.
    const access = await callSubgraph<{ myRecordAccess: { edges: unknown[] } }>(
      accounts.url,
      `{ myRecordAccess(first: 10) { edges { cursor } } }`,
      {},
      {
        userId: patientId,
        role: "PATIENT",
      },
    );
    expect(access.data!.myRecordAccess.edges).toEqual([]);
    // The patient's own write is theirs, not staff's.
    const self = await callSubgraph(
      accounts.url,
      `mutation { changePassword(currentPassword: "Correct-horse-42", newPassword: "Correct-horse-43") }`,
      {},
      {
        userId: patientId,
        role: "PATIENT",
      },
    );
    expect(self.errors).toBeUndefined();
    expect(await log({ p: patientId, a: "changePassword" })).toEqual([]);
    // A refused write (bad input) is not logged.
    const refused = await callSubgraph(
      accounts.url,
      `mutation($p: ID!) { setPatientNationalId(patientId: $p, nationalId: "\u202e") { id } }`,
      { p: patientId },
      reception,
    );
    expect(refused.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(await log({ a: "setPatientNationalId", p: patientId })).toEqual([]);
  });

  it("refuses malformed filters with BAD_USER_INPUT", async () => {
    for (const filter of [{ a: "" }, { r: "has space" }, { t: "x".repeat(201) }]) {
      const res = await callSubgraph(accounts.url, LOG, filter, admin);
      expect(res.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    }
  });
});
