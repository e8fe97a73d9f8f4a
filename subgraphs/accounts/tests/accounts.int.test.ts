/**
 * accounts against real PostgreSQL (its own database), called over HTTP as the router calls it.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { randomUUID } from "node:crypto";
import { createLocalJWKSet, jwtVerify } from "jose";
import pg from "pg";
import { callSubgraph, uniqueEmail, type TestCaller } from "@clinigraph/testing";
import { ACCESS_TOKEN_AUDIENCE, ACCESS_TOKEN_ISSUER } from "../src/index.js";
import { DuplicateContactError } from "../src/domain/types.js";
import { startTestAccounts } from "./support/harness.js";

let accounts: Awaited<ReturnType<typeof startTestAccounts>>;
let url: string;
const ADMIN_EMAIL = uniqueEmail("admin");
const ADMIN_PASSWORD = "Admin-password-1";
const STRONG = "Correct-horse-42";

const AUTH_FIELDS = "accessToken refreshToken expiresAt user { id email role name phone }";
const REGISTER = `mutation($input: RegisterPatientInput!) { registerPatient(input: $input) { ${AUTH_FIELDS} } }`;
const LOGIN = `mutation($email: String!, $password: String!) { login(email: $email, password: $password) { ${AUTH_FIELDS} } }`;
const REFRESH = `mutation($t: String!) { refreshSession(refreshToken: $t) { ${AUTH_FIELDS} } }`;
const CREATE_STAFF = `mutation($input: CreateStaffUserInput!) { createStaffUser(input: $input) { id role email name } }`;

interface Auth {
  accessToken: string;
  refreshToken: string;
  expiresAt: string;
  user: { id: string; email: string; role: string; name: string; phone: string | null };
}

const anonymous: TestCaller = { userId: null, role: null };
let admin: TestCaller;

async function register(overrides: Record<string, unknown> = {}) {
  const input = { email: uniqueEmail("pat"), password: STRONG, name: "Pat Test", ...overrides };
  const res = await callSubgraph<{ registerPatient: Auth }>(url, REGISTER, { input });
  return { res, input };
}

async function registered(overrides: Record<string, unknown> = {}) {
  const { res, input } = await register(overrides);
  expect(res.errors).toBeUndefined();
  return { auth: res.data!.registerPatient, input };
}

beforeAll(async () => {
  accounts = await startTestAccounts({ admin: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD } });
  url = accounts.url;
  const login = await callSubgraph<{ login: Auth }>(url, LOGIN, { email: ADMIN_EMAIL, password: ADMIN_PASSWORD });
  admin = { userId: login.data!.login.user.id, role: "ADMIN" };
});

afterAll(async () => {
  await accounts?.close();
});

describe("registration", () => {
  it("registers a patient and returns a verifiable EdDSA access token", async () => {
    const { auth, input } = await registered({ phone: "+49 30 1234567", dateOfBirth: "1990-04-01", gender: "FEMALE" });
    expect(auth.user).toMatchObject({ email: input.email, role: "PATIENT", phone: "+49301234567" });
    const jwks = await (await fetch(url.replace("/graphql", "/.well-known/jwks.json"))).json();
    const { payload, protectedHeader } = await jwtVerify(auth.accessToken, createLocalJWKSet(jwks as never), {
      issuer: ACCESS_TOKEN_ISSUER,
      audience: ACCESS_TOKEN_AUDIENCE,
    });
    expect(protectedHeader.alg).toBe("EdDSA");
    expect(payload.sub).toBe(auth.user.id);
    expect(payload.role).toBe("PATIENT");
    expect(payload.exp! - payload.iat!).toBeLessThanOrEqual(900);
  });

  it("stores contact data encrypted, never in clear", async () => {
    const { auth, input } = await registered({ phone: "+15550001111" });
    const client = new pg.Client({ connectionString: accounts.db.url });
    await client.connect();
    const { rows } = await client.query("SELECT * FROM accounts.users WHERE id = $1", [auth.user.id]);
    await client.end();
    const stored = JSON.stringify(rows[0]);
    expect(stored).not.toContain(input.email);
    expect(stored).not.toContain("5550001111");
    expect(rows[0].email_enc).toMatch(/^v1\.t1\./);
    expect(rows[0].password_hash).toMatch(/^\$argon2id\$/);
  });

  it.each([
    ["weak password", { password: "password" }, "BAD_USER_INPUT", "input.password"],
    ["password equal to e-mail", { email: "Same.Pass1@example.test", password: "Same.Pass1@example.test" }, "BAD_USER_INPUT", "input.password"],
    ["malformed e-mail", { email: "not-an-email" }, "BAD_USER_INPUT", "input.email"],
    ["birth date in the future", { dateOfBirth: "2999-01-01" }, "BAD_USER_INPUT", "input.dateOfBirth"],
  ])("refuses %s", async (_name, overrides, code, field) => {
    const { res } = await register(overrides);
    expect(res.errors?.[0]?.extensions).toMatchObject({ code, field });
  });

  it("refuses an impossible date as BAD_USER_INPUT", async () => {
    const { res } = await register({ dateOfBirth: "2020-02-30" });
    expect(res.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
  });

  it("refuses a duplicate e-mail (any case) with CONFLICT; a phone may be shared", async () => {
    const phone = "+4470000000" + Math.floor(Math.random() * 10);
    const { input } = await registered({ phone });
    const again = await register({ email: input.email.toUpperCase() });
    expect(again.res.errors?.[0]?.extensions).toMatchObject({ code: "CONFLICT", field: "input.email" });
    const samePhone = await register({ phone });
    expect(samePhone.res.errors).toBeUndefined();
  });

  it("recognises a taken e-mail by the unique index when a concurrent registration wins the race", async () => {
    const { input } = await registered();
    const user = { role: "PATIENT" as const, name: "Pat Race", email: input.email, phone: null, passwordHash: "x" };
    await expect(accounts.users.create(user)).rejects.toEqual(new DuplicateContactError("email"));
  });
});

describe("sessions", () => {
  it("logs in with the right password and refuses wrong ones and unknown e-mails alike", async () => {
    const { input } = await registered();
    const ok = await callSubgraph<{ login: Auth }>(url, LOGIN, { email: input.email, password: STRONG });
    expect(ok.data?.login.user.email).toBe(input.email);
    const wrong = await callSubgraph(url, LOGIN, { email: input.email, password: "Wrong-password-1" });
    const unknown = await callSubgraph(url, LOGIN, { email: uniqueEmail("nobody"), password: STRONG });
    expect(wrong.errors?.[0]).toMatchObject({ message: "Invalid e-mail or password", extensions: { code: "UNAUTHENTICATED" } });
    expect(unknown.errors?.[0]).toMatchObject({ message: "Invalid e-mail or password", extensions: { code: "UNAUTHENTICATED" } });
  });

  it("rotates the refresh token on use; replaying an old one revokes the whole family", async () => {
    const { auth } = await registered();
    const first = await callSubgraph<{ refreshSession: Auth }>(url, REFRESH, { t: auth.refreshToken });
    const rotated = first.data!.refreshSession;
    expect(rotated.refreshToken).not.toBe(auth.refreshToken);

    const replay = await callSubgraph(url, REFRESH, { t: auth.refreshToken });
    expect(replay.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    // The attacker's replay also kills the legitimate holder's newer token.
    const afterReplay = await callSubgraph(url, REFRESH, { t: rotated.refreshToken });
    expect(afterReplay.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
  });

  it("lets exactly one of two concurrent refreshes with the same token win", async () => {
    const { auth } = await registered();
    const results = await Promise.all([1, 2].map(() => callSubgraph<{ refreshSession: Auth }>(url, REFRESH, { t: auth.refreshToken })));
    expect(results.filter((r) => r.data?.refreshSession).length).toBe(1);
  });

  it("logout ends the session", async () => {
    const { auth } = await registered();
    const out = await callSubgraph<{ logout: boolean }>(url, `mutation($t: String!) { logout(refreshToken: $t) }`, { t: auth.refreshToken });
    expect(out.data?.logout).toBe(true);
    const refresh = await callSubgraph(url, REFRESH, { t: auth.refreshToken });
    expect(refresh.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
  });

  it("changing the password revokes refresh tokens and the old password", async () => {
    const { auth, input } = await registered();
    const me: TestCaller = { userId: auth.user.id, role: "PATIENT" };
    const CHANGE = `mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) }`;
    const bad = await callSubgraph(url, CHANGE, { c: "Wrong-password-1", n: "Another-pass-77" }, me);
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "currentPassword" });
    const weak = await callSubgraph(url, CHANGE, { c: STRONG, n: "weak" }, me);
    expect(weak.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "newPassword" });
    const changed = await callSubgraph(url, CHANGE, { c: STRONG, n: "Another-pass-77" }, me);
    expect(changed.data?.changePassword).toBe(true);
    expect((await callSubgraph(url, REFRESH, { t: auth.refreshToken })).errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    expect((await callSubgraph(url, LOGIN, { email: input.email, password: STRONG })).errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    expect((await callSubgraph(url, LOGIN, { email: input.email, password: "Another-pass-77" })).data).toBeTruthy();
    expect((await callSubgraph(url, CHANGE, { c: "x", n: "y" }, anonymous)).errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
  });
});

describe("roles", () => {
  const staffInput = () => ({ email: uniqueEmail("staff"), password: STRONG, name: "Rita Reception", role: "RECEPTIONIST" });

  it.each([
    ["anonymous", () => anonymous, "UNAUTHENTICATED"],
    ["a patient", () => ({ userId: "00000000-0000-4000-8000-000000000001", role: "PATIENT" }) as TestCaller, "FORBIDDEN"],
    ["a doctor", () => ({ userId: "00000000-0000-4000-8000-000000000002", role: "DOCTOR" }) as TestCaller, "FORBIDDEN"],
    ["a receptionist", () => ({ userId: "00000000-0000-4000-8000-000000000003", role: "RECEPTIONIST" }) as TestCaller, "FORBIDDEN"],
  ])("createStaffUser refuses %s", async (_who, caller, code) => {
    const res = await callSubgraph(url, CREATE_STAFF, { input: staffInput() }, caller());
    expect(res.errors?.[0]?.extensions?.code).toBe(code);
  });

  it("createStaffUser lets ADMIN create any staff role but not a patient", async () => {
    for (const role of ["DOCTOR", "RECEPTIONIST", "EXAMINER", "BILLING", "STAKEHOLDER", "ADMIN"]) {
      const res = await callSubgraph<{ createStaffUser: { role: string } }>(url, CREATE_STAFF, { input: { ...staffInput(), role } }, admin);
      expect(res.data?.createStaffUser.role).toBe(role);
    }
    const patient = await callSubgraph(url, CREATE_STAFF, { input: { ...staffInput(), role: "PATIENT" } }, admin);
    expect(patient.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.role" });
  });

  it("users is ADMIN only; patients is for patient-data staff", async () => {
    const { auth } = await registered({ name: "Zelda Searchable" });
    const patientCaller: TestCaller = { userId: auth.user.id, role: "PATIENT" };
    const USERS = `{ users(role: PATIENT, first: 5) { edges { node { id role } } pageInfo { hasNextPage endCursor } } }`;
    expect((await callSubgraph(url, USERS, {}, patientCaller)).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect((await callSubgraph(url, USERS, {}, anonymous)).errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    const asAdmin = await callSubgraph<{ users: { edges: { node: { role: string } }[] } }>(url, USERS, {}, admin);
    expect(asAdmin.data?.users.edges.every((e) => e.node.role === "PATIENT")).toBe(true);

    const PATIENTS = `query($s: String) { patients(search: $s, first: 10) { edges { node { id name } } } }`;
    expect((await callSubgraph(url, PATIENTS, { s: "zelda" }, patientCaller)).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const reception: TestCaller = { userId: "00000000-0000-4000-8000-000000000003", role: "RECEPTIONIST" };
    const found = await callSubgraph<{ patients: { edges: { node: { id: string } }[] } }>(url, PATIENTS, { s: "zelda" }, reception);
    expect(found.data?.patients.edges.map((e) => e.node.id)).toContain(auth.user.id);
  });

  it("pages through users without gaps or repeats", async () => {
    for (let i = 0; i < 5; i++) await registered({ name: `Pager ${i}` });
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: Awaited<
        ReturnType<typeof callSubgraph<{ users: { edges: { node: { id: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } }>>
      > = await callSubgraph(
        url,
        `query($a: String) { users(first: 2, after: $a) { edges { node { id } } pageInfo { hasNextPage endCursor } } }`,
        { a: after },
        admin,
      );
      seen.push(...page.data!.users.edges.map((e) => e.node.id));
      if (!page.data!.users.pageInfo.hasNextPage) break;
      after = page.data!.users.pageInfo.endCursor;
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBeGreaterThanOrEqual(6);
    const bad = await callSubgraph(url, `{ users(first: 2, after: "garbage") { edges { cursor } } }`, {}, admin);
    expect(bad.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    // Well-formed cursors holding the wrong things never reach the query (an invalid date or uuid there is a 500).
    for (const key of [
      ["not-a-date", randomUUID()],
      [new Date().toISOString(), "not-a-uuid"],
      [{ gt: "" }, null],
    ]) {
      const cursor = Buffer.from(JSON.stringify(key)).toString("base64url");
      for (const field of ["users", "patients"]) {
        const res = await callSubgraph(url, `query($a: String) { ${field}(first: 2, after: $a) { edges { cursor } } }`, { a: cursor }, admin);
        expect({ field, key, code: res.errors?.[0]?.extensions?.code }).toEqual({ field, key, code: "BAD_USER_INPUT" });
      }
    }
    // An empty id is a malformed id, not "any patient": the audit log is not widened by it.
    for (const arg of ["patientId", "actorId"]) {
      const res = await callSubgraph(url, `{ auditLog(${arg}: "", first: 2) { edges { cursor } } }`, {}, admin);
      expect({ arg, code: res.errors?.[0]?.extensions?.code }).toEqual({ arg, code: "BAD_USER_INPUT" });
    }
  });
});

describe("entities and access", () => {
  const ENTITIES = `query($r: [_Any!]!) { _entities(representations: $r) { ... on User { id email role } ... on Patient { id name user { id } } } }`;

  it("resolves several User and Patient references in one request", async () => {
    const a = (await registered()).auth;
    const b = (await registered()).auth;
    const res = await callSubgraph<{ _entities: ({ id: string } | null)[] }>(
      url,
      ENTITIES,
      {
        r: [
          { __typename: "User", id: a.user.id },
          { __typename: "Patient", id: b.user.id },
          { __typename: "User", id: b.user.id },
          { __typename: "User", id: "00000000-0000-4000-8000-00000000dead" },
        ],
      },
      admin,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data?._entities.map((e) => e?.id ?? null)).toEqual([a.user.id, b.user.id, b.user.id, null]);
  });

  it("a patient cannot read another patient by id or through _entities", async () => {
    const a = (await registered()).auth;
    const b = (await registered()).auth;
    const asA: TestCaller = { userId: a.user.id, role: "PATIENT" };
    const direct = await callSubgraph(url, `query($id: ID!) { patient(id: $id) { id name } }`, { id: b.user.id }, asA);
    expect(direct.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const viaEntities = await callSubgraph(url, ENTITIES, { r: [{ __typename: "User", id: b.user.id }] }, asA);
    expect(viaEntities.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const own = await callSubgraph<{ patient: { id: string } }>(url, `query($id: ID!) { patient(id: $id) { id name } }`, { id: a.user.id }, asA);
    expect(own.data?.patient.id).toBe(a.user.id);
    const me = await callSubgraph<{ me: { id: string } }>(url, `{ me { id email } }`, {}, asA);
    expect(me.data?.me.id).toBe(a.user.id);
    expect((await callSubgraph<{ me: null }>(url, `{ me { id } }`, {}, anonymous)).data?.me).toBeNull();
  });

  it("a doctor reads the profile of a patient they care for, but not the patient's contact data", async () => {
    const patient = (await registered({ phone: "+4930555" + Math.floor(1000 + Math.random() * 8999) })).auth;
    const doctor: TestCaller = { userId: "00000000-0000-4000-8000-0000000000d1", role: "DOCTOR" };
    const stranger = await callSubgraph(url, `query($id: ID!) { patient(id: $id) { id name } }`, { id: patient.user.id }, doctor);
    expect(stranger.errors?.[0]?.extensions?.code).toBe("FORBIDDEN"); // no care relationship (ADR 0011)
    await accounts.prisma.careRelationship.create({
      data: { doctorUserId: doctor.userId!, patientId: patient.user.id, since: new Date(), source: "appointment" },
    });
    const res = await callSubgraph<{ patient: { id: string; name: string; phone: string | null } }>(
      url,
      `query($id: ID!) { patient(id: $id) { id name phone } }`,
      { id: patient.user.id },
      doctor,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data?.patient).toEqual({ id: patient.user.id, name: "Pat Test", phone: null });
    const user = await callSubgraph(url, `query($id: ID!) { patient(id: $id) { user { email } } }`, { id: patient.user.id }, doctor);
    expect(user.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const entity = await callSubgraph(url, ENTITIES, { r: [{ __typename: "User", id: patient.user.id }] }, doctor);
    expect(entity.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });

  it("a staff user's record is readable by any signed-in caller (e.g. a doctor's e-mail by a patient)", async () => {
    const doctor = await callSubgraph<{ createStaffUser: { id: string } }>(
      url,
      CREATE_STAFF,
      { input: { email: uniqueEmail("doc"), password: STRONG, name: "Dr Who", role: "DOCTOR" } },
      admin,
    );
    const patient = (await registered()).auth;
    const res = await callSubgraph<{ _entities: { email: string }[] }>(
      url,
      ENTITIES,
      { r: [{ __typename: "User", id: doctor.data!.createStaffUser.id }] },
      {
        userId: patient.user.id,
        role: "PATIENT",
      },
    );
    expect(res.data?._entities[0]?.email).toMatch(/^doc\./);
  });

  it("refuses requests that did not come through the router", async () => {
    const res = await callSubgraph(url, `{ __typename }`, {}, "unsigned");
    expect(res.status).toBe(401);
    expect(res.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    const entities = await callSubgraph(url, ENTITIES, { r: [{ __typename: "User", id: admin.userId }] }, "unsigned");
    expect(entities.status).toBe(401);
  });

  it("answers malformed GraphQL with a parse error code", async () => {
    const res = await callSubgraph(url, `{ me { id `, {}, anonymous);
    expect(res.errors?.[0]?.extensions?.code).toBe("GRAPHQL_PARSE_FAILED");
  });
});
