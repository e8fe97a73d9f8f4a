/** The audit log: reads of a patient's record by others and privileged actions, append-only, visible to admins and to the patient. */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import pg from "pg";
import { callSubgraph, uniqueEmail, type TestCaller } from "@clinigraph/testing";
import { randomUUID } from "node:crypto";
import { STREAMS, createEnvelope, createMemoryEventBus } from "@clinigraph/events";
import { createLogger } from "@clinigraph/platform";
import { startAuditProjection } from "../src/index.js";
import { startTestAccounts } from "./support/harness.js";

let accounts: Awaited<ReturnType<typeof startTestAccounts>>;
let url: string;
const PASSWORD = "Correct-horse-42";
const reception: TestCaller = { userId: "00000000-0000-4000-8000-0000000000a1", role: "RECEPTIONIST" };
const admin: TestCaller = { userId: "00000000-0000-4000-8000-0000000000a2", role: "ADMIN" };

interface Page {
  edges: { node: { action: string; actorRole: string | null; patient: { id: string } | null; requestId: string | null } }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

beforeAll(async () => {
  accounts = await startTestAccounts();
  url = accounts.url;
});

afterAll(async () => {
  await accounts?.close();
});

async function patient() {
  const res = await callSubgraph<{ registerPatient: { user: { id: string } } }>(
    url,
    `mutation($i: RegisterPatientInput!) { registerPatient(input: $i) { user { id } } }`,
    {
      i: { email: uniqueEmail("audited"), password: PASSWORD, name: "Audited Person" },
    },
  );
  return { userId: res.data!.registerPatient.user.id, role: "PATIENT" as const };
}

const ACCESS = `{ myRecordAccess(first: 10) { edges { node { action actorRole patient { id } requestId } } pageInfo { hasNextPage endCursor } } }`;

describe("audit log", () => {
  it("records a staff read of a patient's record; the patient sees who read it, their own reads are not logged", async () => {
    const me = await patient();
    await callSubgraph(url, `query($id: ID!) { patient(id: $id) { name } }`, { id: me.userId }, me);
    expect((await callSubgraph<{ myRecordAccess: Page }>(url, ACCESS, {}, me)).data!.myRecordAccess.edges).toHaveLength(0);
    await callSubgraph(url, `query($id: ID!) { patient(id: $id) { name } }`, { id: me.userId }, reception);
    const doctorUserId = "00000000-0000-4000-8000-0000000000d9";
    await accounts.careRelationships.record([{ doctorUserId, patientId: me.userId, since: new Date(), source: "appointment" }]);
    await callSubgraph(
      url,
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Patient { name } } }`,
      { r: [{ __typename: "Patient", id: me.userId }] },
      { userId: doctorUserId, role: "DOCTOR" },
    );
    const seen = (await callSubgraph<{ myRecordAccess: Page }>(url, ACCESS, {}, me)).data!.myRecordAccess.edges.map((e) => e.node);
    expect(seen.map((n) => `${n.action}:${n.actorRole}`)).toEqual(["PATIENT_RECORD_READ:DOCTOR", "PATIENT_RECORD_READ:RECEPTIONIST"]);
    expect(seen[0]!.requestId).toBe("test");
  });

  it("records an `_entities` fetch of several patients once per patient, whatever the repeats", async () => {
    const [first, second] = [await patient(), await patient()];
    const r = [first, second, first].map((p) => ({ __typename: "Patient", id: p.userId }));
    const res = await callSubgraph(url, `query($r: [_Any!]!) { _entities(representations: $r) { ... on Patient { name } } }`, { r }, reception);
    expect(res.errors).toBeUndefined();
    for (const p of [first, second]) {
      const seen = (await callSubgraph<{ myRecordAccess: Page }>(url, ACCESS, {}, p)).data!.myRecordAccess.edges.map((e) => e.node);
      expect(seen.map((n) => `${n.action}:${n.actorRole}:${n.patient?.id}`)).toEqual([`PATIENT_RECORD_READ:RECEPTIONIST:${p.userId}`]);
    }
  });

  it("records privileged actions; only ADMIN reads the whole log", async () => {
    await callSubgraph(
      url,
      `mutation($i: CreateStaffUserInput!) { createStaffUser(input: $i) { id } }`,
      { i: { email: uniqueEmail("staff"), password: PASSWORD, name: "New Staff", role: "EXAMINER" } },
      admin,
    );
    const LOG = `query($a: ID) { auditLog(actorId: $a, first: 5) { edges { node { action actorRole } } } }`;
    const log = await callSubgraph<{ auditLog: Page }>(url, LOG, { a: admin.userId }, admin);
    expect(log.data!.auditLog.edges[0]!.node).toEqual({ action: "STAFF_USER_CREATED", actorRole: "ADMIN" });
    expect((await callSubgraph(url, LOG, { a: admin.userId }, reception)).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect((await callSubgraph(url, ACCESS, {}, reception)).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });

  it("is append-only in the database", async () => {
    const client = new pg.Client({ connectionString: accounts.db.url });
    await client.connect();
    try {
      await expect(client.query("UPDATE accounts.audit_log SET action = 'x'")).rejects.toThrow(/append-only/);
      await expect(client.query("DELETE FROM accounts.audit_log")).rejects.toThrow(/append-only/);
    } finally {
      await client.end();
    }
  });

  it("keeps reads other subgraphs report (PatientRecordAccessed on the bus) once each, visible to the patient", async () => {
    const reader = await patient();
    const doctorId = randomUUID();
    const bus = createMemoryEventBus();
    const consumer = startAuditProjection({ bus, deps: { audit: accounts.audit }, logger: createLogger("audit-test", "silent") });
    try {
      const access = {
        accessId: randomUUID(),
        patientId: reader.userId,
        actorId: doctorId,
        actorRole: "DOCTOR",
        action: "APPOINTMENT_READ",
        requestId: "req-audit-1",
        at: "2026-11-26T10:00:00.000Z",
      };
      const event = createEnvelope("PatientRecordAccessed", access);
      // Delivered twice (at least once delivery): one entry.
      await bus.publish(STREAMS.audit, [event, { ...event, id: randomUUID() }]);
      await consumer.idle();
      const page = (await callSubgraph<{ myRecordAccess: Page }>(url, ACCESS, {}, reader)).data!.myRecordAccess;
      expect(page.edges.map((e) => e.node)).toEqual([
        { action: "APPOINTMENT_READ", actorRole: "DOCTOR", patient: { id: reader.userId }, requestId: "req-audit-1" },
      ]);
      expect(await accounts.audit.recordAccess(access)).toBe(false);
    } finally {
      await consumer.stop();
      await bus.close();
    }
  });
});
