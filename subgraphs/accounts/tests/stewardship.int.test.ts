/**
 * User stewardship in accounts against real PostgreSQL, called over HTTP as the router calls
 * it: deactivation (sign-in and refresh refused, every session ended, one outbox event), reactivation, role changes,
 * profile updates (validated, the phone sealed at rest) and the two-step e-mail change (code to the new address, old
 * address kept until confirmed, tries and expiry on a fake clock; its messages go to notifications' service endpoint,
 * played here by one that records them — the real one is tested in notifications and end to end).
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { callSubgraph, queryDatabase, TEST_ROUTER_SECRETS, uniqueEmail, type TestCaller } from "@clinigraph/testing";
import { createNotificationsEmailChangeMessages } from "../src/data/notificationsMessages.js";
import { startTestAccounts } from "./support/harness.js";
import { startNotificationsEndpoint, type NotificationsEndpoint } from "./support/notificationsEndpoint.js";

let accounts: Awaited<ReturnType<typeof startTestAccounts>>;
let notifications: NotificationsEndpoint;
let url: string;
let admin: TestCaller;
/** The accounts' clock: real time plus `skewMs` (tests move it forward). */
let skewMs = 0;
const ADMIN_EMAIL = uniqueEmail("admin");
const PASSWORD = "Correct-horse-42";

const LOGIN = `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken refreshToken user { id role } } }`;
const REFRESH = `mutation($t: String!) { refreshSession(refreshToken: $t) { refreshToken } }`;
const CREATE_STAFF = `mutation($input: CreateStaffUserInput!) { createStaffUser(input: $input) { id } }`;
const DEACTIVATE = `mutation($id: ID!, $r: String!) { deactivateUser(id: $id, reason: $r) { id active deactivatedAt } }`;
const REACTIVATE = `mutation($id: ID!) { reactivateUser(id: $id) { id active deactivatedAt } }`;
const CHANGE_ROLE = `mutation($id: ID!, $role: Role!) { changeUserRole(id: $id, role: $role) { id role } }`;
const UPDATE_ME = `mutation($i: UpdateProfileInput!) { updateMyProfile(input: $i) { id name phone } }`;
const UPDATE_PATIENT = `mutation($id: ID!, $i: UpdatePatientInput!) { updatePatient(id: $id, input: $i) { id name phone dateOfBirth gender } }`;
const REQUEST_CHANGE = `mutation($e: String!, $p: String!) { requestEmailChange(newEmail: $e, currentPassword: $p) }`;
const CONFIRM_CHANGE = `mutation($c: String!) { confirmEmailChange(code: $c) { id email } }`;

interface Login {
  accessToken: string;
  refreshToken: string;
  user: { id: string; role: string };
}

beforeAll(async () => {
  notifications = await startNotificationsEndpoint();
  const emailChangeMessages = createNotificationsEmailChangeMessages({ url: () => notifications.url, routerSecrets: TEST_ROUTER_SECRETS });
  accounts = await startTestAccounts(
    { admin: { email: ADMIN_EMAIL, password: "Admin-password-1" } },
    { emailChangeMessages, clock: () => new Date(Date.now() + skewMs) },
  );
  url = accounts.url;
  const res = await callSubgraph<{ login: Login }>(url, LOGIN, { e: ADMIN_EMAIL, p: "Admin-password-1" });
  admin = { userId: res.data!.login.user.id, role: "ADMIN" };
});

afterAll(async () => {
  await accounts?.close();
  await notifications?.stop();
});

async function staff(role = "RECEPTIONIST"): Promise<{ id: string; email: string; caller: TestCaller }> {
  const email = uniqueEmail(role.toLowerCase());
  const res = await callSubgraph<{ createStaffUser: { id: string } }>(
    url,
    CREATE_STAFF,
    { input: { email, password: PASSWORD, name: "Staff Test", role } },
    admin,
  );
  expect(res.errors).toBeUndefined();
  const id = res.data!.createStaffUser.id;
  return { id, email, caller: { userId: id, role: role as TestCaller["role"] } };
}

async function patient(): Promise<{ id: string; email: string; caller: TestCaller }> {
  const email = uniqueEmail("pat");
  const res = await callSubgraph<{ registerPatient: { user: { id: string } } }>(
    url,
    `mutation($i: RegisterPatientInput!) { registerPatient(input: $i) { user { id } } }`,
    { i: { email, password: PASSWORD, name: "Pat Steward", phone: "+49 30 1111111", dateOfBirth: "1980-02-03", gender: "FEMALE" } },
  );
  expect(res.errors).toBeUndefined();
  const id = res.data!.registerPatient.user.id;
  return { id, email, caller: { userId: id, role: "PATIENT" } };
}

const login = (email: string, password = PASSWORD) => callSubgraph<{ login: Login }>(url, LOGIN, { e: email, p: password });
const openSessions = async (userId: string) =>
  (
    await queryDatabase<{ n: number }>(
      accounts.db.url,
      `SELECT count(DISTINCT family_id)::int AS n FROM accounts.refresh_tokens t WHERE user_id = $1
         AND NOT EXISTS (SELECT 1 FROM accounts.refresh_tokens r WHERE r.family_id = t.family_id AND r.revoked_at IS NOT NULL)`,
      [userId],
    )
  )[0]!.n;
const outbox = (userId: string) =>
  queryDatabase<{ type: string; payload: Record<string, unknown> }>(
    accounts.db.url,
    "SELECT type, payload FROM accounts.outbox WHERE aggregate_id = $1 ORDER BY sequence",
    [userId],
  );
const auditActions = async (actorId: string) =>
  (await queryDatabase<{ action: string }>(accounts.db.url, "SELECT action FROM accounts.audit_log WHERE actor_id = $1 ORDER BY seq", [actorId])).map(
    (r) => r.action,
  );

describe("deactivation", () => {
  it("refuses sign-in (only after the right password) and refresh, ends every session, and writes one event", async () => {
    const user = await staff();
    const first = (await login(user.email)).data!.login;
    await login(user.email);
    expect(await openSessions(user.id)).toBe(2);

    const res = await callSubgraph<{ deactivateUser: { active: boolean; deactivatedAt: string } }>(
      url,
      DEACTIVATE,
      { id: user.id, r: "  Left the clinic\n " },
      admin,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.deactivateUser.active).toBe(false);
    expect(res.data!.deactivateUser.deactivatedAt).toEqual(expect.any(String));
    expect(await openSessions(user.id)).toBe(0);
    const [row] = await queryDatabase<{ deactivation_reason: string }>(accounts.db.url, "SELECT deactivation_reason FROM accounts.users WHERE id = $1", [
      user.id,
    ]);
    expect(row!.deactivation_reason).toBe("Left the clinic");

    // A wrong password answers as for anyone; the right one learns of the deactivation.
    const wrong = await login(user.email, "Wrong-password-9");
    expect(wrong.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    const right = await login(user.email);
    expect(right.errors?.[0]?.extensions).toMatchObject({ code: "FORBIDDEN", reason: "ACCOUNT_DEACTIVATED" });
    const refresh = await callSubgraph(url, REFRESH, { t: first.refreshToken });
    expect(refresh.errors?.[0]?.extensions).toMatchObject({ code: "FORBIDDEN", reason: "ACCOUNT_DEACTIVATED" });

    // Again: idempotent, no second event or audit entry.
    const again = await callSubgraph<{ deactivateUser: { active: boolean } }>(url, DEACTIVATE, { id: user.id, r: "Again" }, admin);
    expect(again.data!.deactivateUser.active).toBe(false);
    const events = await outbox(user.id);
    expect(events).toEqual([{ type: "UserDeactivated", payload: { userId: user.id, role: "RECEPTIONIST", actorId: admin.userId, at: expect.any(String) } }]);
  });

  it("reactivation lets the user sign in again; the old sessions stay ended", async () => {
    const user = await staff("BILLING");
    const old = (await login(user.email)).data!.login;
    await callSubgraph(url, DEACTIVATE, { id: user.id, r: "Leave" }, admin);
    const res = await callSubgraph<{ reactivateUser: { active: boolean; deactivatedAt: string | null } }>(url, REACTIVATE, { id: user.id }, admin);
    expect(res.data!.reactivateUser).toEqual({ id: user.id, active: true, deactivatedAt: null });
    expect((await login(user.email)).data!.login.user.id).toBe(user.id);
    expect((await callSubgraph(url, REFRESH, { t: old.refreshToken })).errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    expect((await outbox(user.id)).map((e) => e.type)).toEqual(["UserDeactivated", "UserReactivated"]);
    // Reactivating an active user changes nothing.
    await callSubgraph(url, REACTIVATE, { id: user.id }, admin);
    expect((await outbox(user.id)).length).toBe(2);
  });

  it("refuses the admin's own account, a blank or multi-paragraph-long reason, an unknown id, and non-admins", async () => {
    const self = await callSubgraph(url, DEACTIVATE, { id: admin.userId, r: "Me" }, admin);
    expect(self.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect(self.errors?.[0]?.message).toMatch(/own account/);
    const user = await staff();
    for (const r of ["   ", "x".repeat(501)]) {
      const bad = await callSubgraph(url, DEACTIVATE, { id: user.id, r }, admin);
      expect(bad.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "reason" });
    }
    // Bidirectional controls are refused before any resolver runs (every request's strings are checked).
    expect((await callSubgraph(url, DEACTIVATE, { id: user.id, r: "Bad \u202E reason" }, admin)).errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    const unknown = await callSubgraph(url, DEACTIVATE, { id: "00000000-0000-4000-8000-000000000000", r: "Gone" }, admin);
    expect(unknown.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
    const byStaff = await callSubgraph(url, DEACTIVATE, { id: user.id, r: "Gone" }, user.caller);
    expect(byStaff.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect(await outbox(user.id)).toEqual([]);
  });
});

describe("role changes", () => {
  it("moves a staff user to another staff role, ends their sessions, writes an event and an audit entry", async () => {
    const user = await staff("RECEPTIONIST");
    await login(user.email);
    const res = await callSubgraph<{ changeUserRole: { role: string } }>(url, CHANGE_ROLE, { id: user.id, role: "BILLING" }, admin);
    expect(res.data!.changeUserRole.role).toBe("BILLING");
    expect(await openSessions(user.id)).toBe(0);
    expect((await login(user.email)).data!.login.user.role).toBe("BILLING");
    expect(await outbox(user.id)).toEqual([
      {
        type: "UserRoleChanged",
        payload: { userId: user.id, role: "BILLING", previousRole: "RECEPTIONIST", actorId: admin.userId, at: expect.any(String) },
      },
    ]);
    expect(await auditActions(admin.userId!)).toContain("USER_ROLE_CHANGED");
    // The same role again: nothing happens.
    await callSubgraph(url, CHANGE_ROLE, { id: user.id, role: "BILLING" }, admin);
    expect((await outbox(user.id)).length).toBe(1);
  });

  it("refuses PATIENT and DOCTOR on either side, and the admin's own role", async () => {
    const user = await staff("EXAMINER");
    const pat = await patient();
    const doctor = await staff("DOCTOR");
    const cases: [string, string, string][] = [
      [user.id, "PATIENT", "role"],
      [user.id, "DOCTOR", "role"],
      [pat.id, "RECEPTIONIST", "id"],
      [doctor.id, "RECEPTIONIST", "id"],
    ];
    for (const [id, role, field] of cases) {
      const res = await callSubgraph(url, CHANGE_ROLE, { id, role }, admin);
      expect(res.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field });
    }
    const self = await callSubgraph(url, CHANGE_ROLE, { id: admin.userId, role: "BILLING" }, admin);
    expect(self.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });
});

describe("profiles", () => {
  it("a patient updates their own profile; the phone is sealed at rest and blind-indexed", async () => {
    const pat = await patient();
    const res = await callSubgraph<{ updateMyProfile: { name: string; phone: string } }>(
      url,
      UPDATE_ME,
      { i: { name: "  Pat   Renamed ", phone: "+49 (30) 222-2222", gender: "OTHER" } },
      pat.caller,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.updateMyProfile).toEqual({ id: pat.id, name: "Pat Renamed", phone: "+49302222222" });
    const [row] = await queryDatabase<{ phone_enc: string; phone_hash: string; gender: string; date_of_birth: Date }>(
      accounts.db.url,
      "SELECT u.phone_enc, u.phone_hash, p.gender, p.date_of_birth FROM accounts.users u JOIN accounts.patients p ON p.id = u.id WHERE u.id = $1",
      [pat.id],
    );
    expect(row!.phone_enc).toMatch(/^v1\./);
    expect(row!.phone_enc).not.toContain("2222222");
    expect(row!.phone_hash).not.toContain("2222222");
    expect(row!.gender).toBe("OTHER");
    expect(row!.date_of_birth).not.toBeNull(); // left out: unchanged
    expect(await auditActions(pat.id)).toContain("PROFILE_UPDATED");
    // null clears the phone.
    const cleared = await callSubgraph<{ updateMyProfile: { phone: string | null } }>(url, UPDATE_ME, { i: { phone: null } }, pat.caller);
    expect(cleared.data!.updateMyProfile.phone).toBeNull();
  });

  it("refuses bad values with the field named, patient fields for staff, and an empty change", async () => {
    const pat = await patient();
    const user = await staff();
    const cases: [TestCaller, Record<string, unknown>, string][] = [
      [pat.caller, { name: "x".repeat(201) }, "input.name"],
      [pat.caller, { name: null }, "input.name"],
      [pat.caller, { phone: "12" }, "input.phone"],
      [pat.caller, { dateOfBirth: "2999-01-01" }, "input.dateOfBirth"],
      [pat.caller, { dateOfBirth: "1850-01-01" }, "input.dateOfBirth"],
      [user.caller, { dateOfBirth: "1990-01-01" }, "input.dateOfBirth"],
      [user.caller, { gender: "MALE" }, "input.gender"],
      [user.caller, {}, "input"],
    ];
    for (const [caller, i, field] of cases) {
      const res = await callSubgraph(url, UPDATE_ME, { i }, caller);
      expect(res.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field });
    }
    expect((await callSubgraph(url, UPDATE_ME, { i: { name: "Pat \u2067Evil" } }, pat.caller)).errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    // Line breaks fold into one line, as at registration.
    const folded = await callSubgraph<{ updateMyProfile: { name: string } }>(url, UPDATE_ME, { i: { name: "Two\nLines" } }, pat.caller);
    expect(folded.data!.updateMyProfile.name).toBe("Two Lines");
    const ok = await callSubgraph<{ updateMyProfile: { name: string } }>(url, UPDATE_ME, { i: { name: "Staff Renamed", phone: "+4930333333" } }, user.caller);
    expect(ok.data!.updateMyProfile.name).toBe("Staff Renamed");
  });

  it("reception updates a patient (audited with the patient); not a staff user, not as a doctor", async () => {
    const pat = await patient();
    const reception = await staff("RECEPTIONIST");
    const res = await callSubgraph<{ updatePatient: Record<string, unknown> }>(
      url,
      UPDATE_PATIENT,
      { id: pat.id, i: { name: "Pat Desk", dateOfBirth: "1981-05-06", gender: null } },
      reception.caller,
    );
    expect(res.data!.updatePatient).toEqual({ id: pat.id, name: "Pat Desk", phone: "+49301111111", dateOfBirth: "1981-05-06", gender: null });
    const [entry] = await queryDatabase<{ action: string; patient_id: string }>(
      accounts.db.url,
      "SELECT action, patient_id::text FROM accounts.audit_log WHERE actor_id = $1 ORDER BY seq DESC LIMIT 1",
      [reception.id],
    );
    expect(entry).toEqual({ action: "PATIENT_UPDATED", patient_id: pat.id });
    expect((await callSubgraph(url, UPDATE_PATIENT, { id: reception.id, i: { name: "X" } }, reception.caller)).errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
    const doctor = await staff("DOCTOR");
    expect((await callSubgraph(url, UPDATE_PATIENT, { id: pat.id, i: { name: "X" } }, doctor.caller)).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });
});

describe("e-mail change", () => {
  /** The code notifications was asked to send to `to`. */
  const codeSentTo = async (to: string) => (await notifications.next((m) => m.to === to && m.kind === "EMAIL_CHANGE_CODE")).params.code!;

  it("sends a code to the new address; the old one signs in until the code is confirmed; the old address is told", async () => {
    const pat = await patient();
    const newEmail = uniqueEmail("moved");
    const res = await callSubgraph(url, REQUEST_CHANGE, { e: newEmail, p: PASSWORD }, pat.caller);
    expect(res.data).toEqual({ requestEmailChange: true });
    const sent = await notifications.next((m) => m.to === newEmail);
    expect(sent).toEqual({
      kind: "EMAIL_CHANGE_CODE",
      userId: pat.id,
      to: newEmail,
      messageId: expect.stringMatching(/^email-change:/),
      params: { code: expect.stringMatching(/^\d{6}$/), validMinutes: 30 },
    });
    const code = sent.params.code!;
    // Not stored in clear.
    const [pending] = await queryDatabase<Record<string, string>>(accounts.db.url, "SELECT * FROM accounts.email_changes WHERE user_id = $1", [pat.id]);
    expect(JSON.stringify(pending)).not.toContain(newEmail);
    expect(JSON.stringify(pending)).not.toContain(code);
    expect((await login(pat.email)).data?.login.user.id).toBe(pat.id);

    const confirmed = await callSubgraph<{ confirmEmailChange: { email: string } }>(url, CONFIRM_CHANGE, { c: code }, pat.caller);
    expect(confirmed.data!.confirmEmailChange.email).toBe(newEmail);
    expect((await login(pat.email)).errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    expect((await login(newEmail)).data?.login.user.id).toBe(pat.id);
    const notice = await notifications.next((m) => m.to === pat.email && m.kind === "EMAIL_CHANGED");
    expect(notice).toMatchObject({ userId: pat.id, params: { maskedNewEmail: expect.stringMatching(/^m\*+@/) } });
    expect(JSON.stringify(notice)).not.toContain(newEmail);
    // Used up.
    expect((await callSubgraph(url, CONFIRM_CHANGE, { c: code }, pat.caller)).errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "code" });
    expect(await auditActions(pat.id)).toEqual(expect.arrayContaining(["EMAIL_CHANGE_REQUESTED", "EMAIL_CHANGED"]));
  });

  it("does not reveal a taken address: true, and that address gets a notice, not a code", async () => {
    const pat = await patient();
    const other = await patient();
    expect((await callSubgraph(url, REQUEST_CHANGE, { e: other.email, p: PASSWORD }, pat.caller)).data).toEqual({ requestEmailChange: true });
    const notice = await notifications.next((m) => m.to === other.email);
    expect(notice).toMatchObject({ kind: "EMAIL_CHANGE_TAKEN", userId: pat.id, params: {} });
    expect(await queryDatabase(accounts.db.url, "SELECT 1 FROM accounts.email_changes WHERE user_id = $1", [pat.id])).toEqual([]);
  });

  it("refuses a wrong password; answers CONFLICT when the address was taken meanwhile", async () => {
    const pat = await patient();
    const wrong = await callSubgraph(url, REQUEST_CHANGE, { e: uniqueEmail("x"), p: "Wrong-password-9" }, pat.caller);
    expect(wrong.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "currentPassword" });
    const target = uniqueEmail("race");
    await callSubgraph(url, REQUEST_CHANGE, { e: target, p: PASSWORD }, pat.caller);
    const code = await codeSentTo(target);
    await callSubgraph(url, `mutation($i: RegisterPatientInput!) { registerPatient(input: $i) { user { id } } }`, {
      i: { email: target, password: PASSWORD, name: "Fast Taker" },
    });
    const res = await callSubgraph(url, CONFIRM_CHANGE, { c: code }, pat.caller);
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: "CONFLICT", reason: "EMAIL_TAKEN" });
  });

  it("allows 5 tries, then even the right code is refused", async () => {
    const pat = await patient();
    const target = uniqueEmail("tries");
    await callSubgraph(url, REQUEST_CHANGE, { e: target, p: PASSWORD }, pat.caller);
    const code = await codeSentTo(target);
    const wrongCode = code === "000000" ? "111111" : "000000";
    for (let i = 0; i < 5; i++)
      expect((await callSubgraph(url, CONFIRM_CHANGE, { c: wrongCode }, pat.caller)).errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect((await callSubgraph(url, CONFIRM_CHANGE, { c: code }, pat.caller)).errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
  });

  it("expires after 30 minutes (fake clock)", async () => {
    const pat = await patient();
    const target = uniqueEmail("late");
    await callSubgraph(url, REQUEST_CHANGE, { e: target, p: PASSWORD }, pat.caller);
    const code = await codeSentTo(target);
    skewMs = 31 * 60_000;
    try {
      expect((await callSubgraph(url, CONFIRM_CHANGE, { c: code }, pat.caller)).errors?.[0]?.extensions).toMatchObject({
        code: "BAD_USER_INPUT",
        field: "code",
      });
    } finally {
      skewMs = 0;
    }
    expect((await login(pat.email)).data?.login.user.id).toBe(pat.id);
  });

  it("answers SERVICE_UNAVAILABLE when notifications does not send the code; asking again sends a new one that works", async () => {
    const pat = await patient();
    const target = uniqueEmail("outage");
    notifications.down.value = true;
    try {
      expect((await callSubgraph(url, REQUEST_CHANGE, { e: target, p: PASSWORD }, pat.caller)).errors?.[0]?.extensions?.code).toBe("SERVICE_UNAVAILABLE");
    } finally {
      notifications.down.value = false;
    }
    expect(notifications.messages.some((m) => m.to === target)).toBe(false);
    expect((await callSubgraph(url, REQUEST_CHANGE, { e: target, p: PASSWORD }, pat.caller)).data).toEqual({ requestEmailChange: true });
    const code = await codeSentTo(target);
    const confirmed = await callSubgraph<{ confirmEmailChange: { email: string } }>(url, CONFIRM_CHANGE, { c: code }, pat.caller);
    expect(confirmed.data?.confirmEmailChange.email).toBe(target);
  });
});
