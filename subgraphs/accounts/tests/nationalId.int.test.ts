/**
 * Patients' national id: stored sealed with a blind index (unique, exact lookup), readable by the patient,
 * RECEPTIONIST and ADMIN only — through queries and `_entities` alike — and every read by staff audited.
 * Set only by RECEPTIONIST or ADMIN (self-registration takes none, so nothing confirms one to an
 * anonymous caller).
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import pg from "pg";
import { callSubgraph, uniqueEmail, type TestCaller } from "@clinigraph/testing";
import { startTestAccounts } from "./support/harness.js";

let accounts: Awaited<ReturnType<typeof startTestAccounts>>;
let url: string;
const PASSWORD = "Correct-horse-42";
const staff = (role: TestCaller["role"], n: number): TestCaller => ({ userId: `00000000-0000-4000-8000-0000000000${n}`, role });
const reception = staff("RECEPTIONIST", 11);
const admin = staff("ADMIN", 12);
const doctor = staff("DOCTOR", 13);
const billing = staff("BILLING", 14);
const examiner = staff("EXAMINER", 15);

beforeAll(async () => {
  accounts = await startTestAccounts();
  url = accounts.url;
});

afterAll(async () => {
  await accounts?.close();
});

/** A national id no other test uses: 8 digits after a fixed prefix. */
const uniqueNationalId = () =>
  `nx-${Math.floor(Math.random() * 1e8)
    .toString()
    .padStart(8, "0")}`;

async function register(extra: Record<string, unknown> = {}) {
  return callSubgraph<{ registerPatient: { user: { id: string } } }>(
    url,
    `mutation($i: RegisterPatientInput!) { registerPatient(input: $i) { user { id } } }`,
    { i: { email: uniqueEmail("nid"), password: PASSWORD, name: "Nadia Identity", ...extra } },
  );
}

const SET = `mutation($p: ID!, $n: String) { setPatientNationalId(patientId: $p, nationalId: $n) { id } }`;

/** A patient registers (without a national id); reception sets it after checking a document. */
async function patientWith(nationalId: string) {
  const res = await register();
  expect(res.errors).toBeUndefined();
  const userId = res.data!.registerPatient.user.id;
  expect((await callSubgraph(url, SET, { p: userId, n: nationalId }, reception)).errors).toBeUndefined();
  return { userId, role: "PATIENT" as const };
}

const READ = `query($id: ID!) { patient(id: $id) { id nationalId } }`;
const readAs = async (caller: TestCaller, id: string) =>
  (await callSubgraph<{ patient: { nationalId: string | null } | null }>(url, READ, { id }, caller)).data?.patient?.nationalId;
const ENTITIES = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Patient { nationalId } } }`;
const ACCESS = `{ myRecordAccess(first: 50) { edges { node { action actorRole } } } }`;

async function auditOf(me: TestCaller) {
  const res = await callSubgraph<{ myRecordAccess: { edges: { node: { action: string; actorRole: string } }[] } }>(url, ACCESS, {}, me);
  return res.data!.myRecordAccess.edges.map((e) => `${e.node.action}:${e.node.actorRole}`);
}

async function stored(patientId: string) {
  const client = new pg.Client({ connectionString: accounts.db.url });
  await client.connect();
  try {
    const { rows } = await client.query<{ national_id_enc: string | null; national_id_hash: string | null }>(
      "SELECT national_id_enc, national_id_hash FROM accounts.patients WHERE id = $1",
      [patientId],
    );
    return rows[0]!;
  } finally {
    await client.end();
  }
}

describe("national id", () => {
  it("is normalised, stored only sealed under a key id with a blind index, and read back by the patient", async () => {
    const raw = `  ${uniqueNationalId()}  `;
    const me = await patientWith(raw);
    const expected = raw.trim().toUpperCase();
    expect(await readAs(me, me.userId)).toBe(expected);
    const row = await stored(me.userId);
    expect(row.national_id_enc).toMatch(/^v1\.t1\./);
    expect(row.national_id_enc).not.toContain(expected.slice(3));
    expect(row.national_id_hash).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await auditOf(me)).toEqual(["NATIONAL_ID_SET:RECEPTIONIST"]);
  });

  it("is readable by RECEPTIONIST and ADMIN (audited), null for doctors and other staff, also through _entities", async () => {
    const me = await patientWith(uniqueNationalId());
    expect(await readAs(reception, me.userId)).toMatch(/^NX-\d{8}$/);
    expect(await readAs(admin, me.userId)).toMatch(/^NX-\d{8}$/);
    // The doctor cares for the patient (ADR 0011), so reads the profile — but not the national id.
    await accounts.careRelationships.record([{ doctorUserId: doctor.userId!, patientId: me.userId, since: new Date(), source: "appointment" }]);
    expect(await readAs(doctor, me.userId)).toBeNull();
    for (const caller of [doctor, billing, examiner, reception]) {
      const res = await callSubgraph<{ _entities: { nationalId: string | null }[] }>(url, ENTITIES, { r: [{ __typename: "Patient", id: me.userId }] }, caller);
      expect(res.errors).toBeUndefined();
      expect(res.data!._entities[0]).toEqual({ nationalId: caller === reception ? expect.stringMatching(/^NX-/) : null });
    }
    const page = await callSubgraph<{ patients: { edges: { node: { id: string; nationalId: string | null } }[] } }>(
      url,
      `{ patients(search: "Nadia Identity", first: 100) { edges { node { id nationalId } } } }`,
      {},
      billing,
    );
    expect(page.data!.patients.edges.find((e) => e.node.id === me.userId)?.node.nationalId).toBeNull();

    const trail = await auditOf(me);
    // Newest first: reception's entity read, admin's and reception's direct reads; nothing for the others' nulls.
    expect(trail.filter((t) => t.startsWith("NATIONAL_ID_READ"))).toEqual([
      "NATIONAL_ID_READ:RECEPTIONIST",
      "NATIONAL_ID_READ:ADMIN",
      "NATIONAL_ID_READ:RECEPTIONIST",
    ]);
    expect(trail.filter((t) => t.startsWith("PATIENT_RECORD_READ"))).toHaveLength(8);
  });

  it("is not taken at self-registration: the field does not exist, so nothing is stored, compared or confirmed", async () => {
    const id = uniqueNationalId();
    await patientWith(id);
    for (const value of [id, uniqueNationalId(), null]) {
      const res = await register({ nationalId: value });
      expect(res.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
      expect(res.data?.registerPatient ?? null).toBeNull();
      expect(JSON.stringify(res.errors)).not.toMatch(/CONFLICT|already/i);
    }
  });

  it("is unique (whatever its spacing, case and dashes) and validated when staff set it, without echoing it in errors", async () => {
    const id = uniqueNationalId();
    await patientWith(id);
    const other = (await register()).data!.registerPatient.user.id;
    const again = await callSubgraph(url, SET, { p: other, n: ` ${id.replace("-", " ").toLowerCase()} ` }, reception);
    expect(again.errors?.[0]?.extensions).toMatchObject({ code: "CONFLICT", field: "nationalId" });
    expect(again.errors?.[0]?.message).not.toMatch(/NX|\d{8}/i);
    for (const bad of ["AB1", "A".repeat(33), "AB/1234", "NX_12345678"]) {
      const res = await callSubgraph(url, SET, { p: other, n: bad }, reception);
      expect(res.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "nationalId" });
      expect(JSON.stringify(res.errors)).not.toContain(bad);
    }
    expect((await callSubgraph(url, SET, { p: other, n: "  " }, reception)).errors).toBeUndefined();
  });

  it("is set or cleared by RECEPTIONIST and ADMIN only (audited), and found by an exact search", async () => {
    const me = (await register()).data!.registerPatient.user.id;
    const patient: TestCaller = { userId: me, role: "PATIENT" };
    const SET = `mutation($p: ID!, $n: String) { setPatientNationalId(patientId: $p, nationalId: $n) { id nationalId } }`;
    const id = uniqueNationalId();
    for (const caller of [doctor, billing, patient]) {
      expect((await callSubgraph(url, SET, { p: me, n: id }, caller)).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    }
    const set = await callSubgraph<{ setPatientNationalId: { nationalId: string } }>(url, SET, { p: me, n: id }, reception);
    expect(set.data?.setPatientNationalId.nationalId).toBe(id.toUpperCase());
    expect((await callSubgraph(url, SET, { p: doctor.userId, n: uniqueNationalId() }, admin)).errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
    const other = await patientWith(uniqueNationalId());
    const taken = await callSubgraph(url, SET, { p: other.userId, n: id }, admin);
    expect(taken.errors?.[0]?.extensions).toMatchObject({ code: "CONFLICT", field: "nationalId" });

    const SEARCH = `query($s: String) { patients(search: $s, first: 5) { edges { node { id } } } }`;
    const compact = id.replace("-", "");
    const found = await callSubgraph<{ patients: { edges: { node: { id: string } }[] } }>(url, SEARCH, { s: compact }, reception);
    expect(found.data!.patients.edges.map((e) => e.node.id)).toEqual([me]);
    const notForBilling = await callSubgraph<{ patients: { edges: unknown[] } }>(url, SEARCH, { s: compact }, billing);
    expect(notForBilling.data!.patients.edges).toEqual([]);

    const cleared = await callSubgraph<{ setPatientNationalId: { nationalId: string | null } }>(url, SET, { p: me, n: null }, admin);
    expect(cleared.data?.setPatientNationalId.nationalId).toBeNull();
    expect(await stored(me)).toEqual({ national_id_enc: null, national_id_hash: null });
    expect((await auditOf(patient)).filter((t) => t.startsWith("NATIONAL_ID_SET"))).toEqual(["NATIONAL_ID_SET:ADMIN", "NATIONAL_ID_SET:RECEPTIONIST"]);
  });
});
