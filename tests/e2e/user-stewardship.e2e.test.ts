/**
 * User stewardship through the router: an ADMIN deactivates a staff user — their HTTP requests are refused at once
 * (the session has ended), their open graphql-ws subscription is closed with 4403, and sign-in is refused
 * (ACCOUNT_DEACTIVATED, after the right password); reactivation lets them sign in again. A patient updates their own
 * profile, reception updates a patient's, an ADMIN changes a staff role (the old token's session ends), and a
 * patient changes their e-mail with the code sent to the new address (read from a real SMTP server).
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { queryDatabase, startMailbox, uniqueEmail, type Mailbox } from "@clinigraph/testing";
import { closeFeeds, openSocket } from "../support/feeds.js";
import { expectData, graphql, signIn, startStack, type Stack } from "../support/stack.js";

let stack: Stack;
let mailbox: Mailbox;
let url: string;
let adminToken: string;
const PASSWORD = "Steward-test-1";

beforeAll(async () => {
  mailbox = await startMailbox();
  // Every request asks accounts (no cache), and open sockets re-check their session every 100 ms.
  stack = await startStack({
    env: { SESSION_CHECK_CACHE_MS: "0", SESSION_RECHECK_MS: "100", SMTP_URL: mailbox.url, MAIL_FROM: "Clinic <clinic@example.test>" },
  });
  url = stack.routerUrl;
  adminToken = await signIn(url, stack.admin.email, stack.admin.password);
}, 120_000);

afterAll(async () => {
  await closeFeeds();
  await stack?.stop();
  await mailbox?.stop();
});

async function createStaff(role: string): Promise<{ id: string; email: string }> {
  const email = uniqueEmail(role.toLowerCase());
  const { createStaffUser } = await expectData<{ createStaffUser: { id: string } }>(
    url,
    "mutation($i: CreateStaffUserInput!) { createStaffUser(input: $i) { id } }",
    { i: { email, password: PASSWORD, name: `Staff ${role}`, role } },
    adminToken,
  );
  return { id: createStaffUser.id, email };
}

async function registerPatient(): Promise<{ id: string; email: string; token: string }> {
  const email = uniqueEmail("steward.pat");
  const { registerPatient } = await expectData<{ registerPatient: { accessToken: string; user: { id: string } } }>(
    url,
    "mutation($i: RegisterPatientInput!) { registerPatient(input: $i) { accessToken user { id } } }",
    { i: { email, password: PASSWORD, name: "Steward Patient", phone: "+4930555000" } },
  );
  return { id: registerPatient.user.id, email, token: registerPatient.accessToken };
}

const login = (email: string) =>
  graphql<{ login: { accessToken: string } }>(url, "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }", {
    e: email,
    p: PASSWORD,
  });
const me = (token: string) => graphql<{ me: { id: string; role: string } | null }>(url, "{ me { id role } }", {}, token);

describe("deactivation through the router", () => {
  it("ends the user's HTTP session and closes their live subscription with 4403; sign-in refused; reactivation lets them back", async () => {
    const reception = await createStaff("RECEPTIONIST");
    const token = await signIn(url, reception.email, PASSWORD);
    expect((await me(token)).data?.me?.id).toBe(reception.id);
    const socket = openSocket(url, token, `subscription { clinicBoardUpdates(since: "0") { cursor } }`);
    await socket.connected;

    const { deactivateUser } = await expectData<{ deactivateUser: { active: boolean; deactivationReason: string } }>(
      url,
      "mutation($id: ID!, $r: String!) { deactivateUser(id: $id, reason: $r) { active deactivationReason } }",
      { id: reception.id, r: "Contract ended" },
      adminToken,
    );
    expect(deactivateUser).toEqual({ active: false, deactivationReason: "Contract ended" });

    const refused = await me(token);
    expect(refused.status).toBe(401);
    expect(refused.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    expect(refused.errors?.[0]?.message).toMatch(/session has ended/i);
    expect(await socket.closed).toEqual({ code: 4403, reason: "Session ended" });
    expect((await login(reception.email)).errors?.[0]?.extensions).toMatchObject({ code: "FORBIDDEN", reason: "ACCOUNT_DEACTIVATED" });
    // Other subgraphs learn of it from the accounts stream: the outbox row is relayed.
    await stack.eventsSettled();
    const events = await queryDatabase<{ type: string; published: boolean }>(
      stack.databaseUrl,
      "SELECT type, published_at IS NOT NULL AS published FROM accounts.outbox WHERE aggregate_id = $1",
      [reception.id],
    );
    expect(events).toEqual([{ type: "UserDeactivated", published: true }]);

    await expectData(url, "mutation($id: ID!) { reactivateUser(id: $id) { active } }", { id: reception.id }, adminToken);
    const again = (await login(reception.email)).data?.login.accessToken;
    expect((await me(again!)).data?.me?.id).toBe(reception.id);
    // The old token's session stays ended.
    expect((await me(token)).status).toBe(401);
  });

  it("a doctor user is deactivated the same way; the admin cannot deactivate themselves", async () => {
    const doctor = await createStaff("DOCTOR");
    const token = await signIn(url, doctor.email, PASSWORD);
    const socket = openSocket(url, token, "subscription { myEncounterUpdates { cursor } }");
    await socket.connected;
    await expectData(url, "mutation($id: ID!, $r: String!) { deactivateUser(id: $id, reason: $r) { id } }", { id: doctor.id, r: "Moved away" }, adminToken);
    expect((await me(token)).status).toBe(401);
    expect((await socket.closed).code).toBe(4403);

    const { me: admin } = await expectData<{ me: { id: string } }>(url, "{ me { id } }", {}, adminToken);
    const self = await graphql(url, "mutation($id: ID!, $r: String!) { deactivateUser(id: $id, reason: $r) { id } }", { id: admin.id, r: "Oops" }, adminToken);
    expect(self.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });

  it("anyone sees `active` of themselves; deactivatedAt and the reason are for admins only", async () => {
    const reception = await createStaff("RECEPTIONIST");
    const token = await signIn(url, reception.email, PASSWORD);
    expect((await expectData<{ me: { active: boolean } }>(url, "{ me { active } }", {}, token)).me.active).toBe(true);
    for (const field of ["deactivatedAt", "deactivationReason"]) {
      const res = await graphql(url, `query { me { active ${field} } }`, {}, token);
      expect(res.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    }
    const { me: admin } = await expectData<{ me: { deactivatedAt: string | null } }>(url, "{ me { deactivatedAt } }", {}, adminToken);
    expect(admin.deactivatedAt).toBeNull();
  });
});

describe("role changes through the router", () => {
  it("an ADMIN moves a receptionist to BILLING: the old token's session ends, a new sign-in carries the new role", async () => {
    const user = await createStaff("RECEPTIONIST");
    const token = await signIn(url, user.email, PASSWORD);
    const { changeUserRole } = await expectData<{ changeUserRole: { role: string } }>(
      url,
      "mutation($id: ID!, $r: Role!) { changeUserRole(id: $id, role: $r) { role } }",
      { id: user.id, r: "BILLING" },
      adminToken,
    );
    expect(changeUserRole.role).toBe("BILLING");
    expect((await me(token)).status).toBe(401);
    const fresh = await signIn(url, user.email, PASSWORD);
    expect((await me(fresh)).data?.me?.role).toBe("BILLING");
    const toPatient = await graphql(
      url,
      "mutation($id: ID!, $r: Role!) { changeUserRole(id: $id, role: $r) { role } }",
      { id: user.id, r: "PATIENT" },
      adminToken,
    );
    expect(toPatient.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "role" });
  });
});

describe("profiles through the router", () => {
  it("a patient updates their own profile; staff may not set a date of birth", async () => {
    const patient = await registerPatient();
    const { updateMyProfile } = await expectData<{ updateMyProfile: { name: string; phone: string } }>(
      url,
      "mutation($i: UpdateProfileInput!) { updateMyProfile(input: $i) { name phone } }",
      { i: { name: "Renamed Patient", phone: "+49 30 777 000", dateOfBirth: "1975-07-07", gender: "FEMALE" } },
      patient.token,
    );
    expect(updateMyProfile).toEqual({ name: "Renamed Patient", phone: "+4930777000" });
    const { patient: profile } = await expectData<{ patient: { dateOfBirth: string; gender: string } }>(
      url,
      "query($id: ID!) { patient(id: $id) { dateOfBirth gender } }",
      { id: patient.id },
      patient.token,
    );
    expect(profile).toEqual({ dateOfBirth: "1975-07-07", gender: "FEMALE" });

    const staff = await createStaff("EXAMINER");
    const staffToken = await signIn(url, staff.email, PASSWORD);
    const refused = await graphql(
      url,
      "mutation($i: UpdateProfileInput!) { updateMyProfile(input: $i) { name } }",
      { i: { dateOfBirth: "1975-07-07" } },
      staffToken,
    );
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.dateOfBirth" });
  });

  it("reception updates a patient; a doctor may not", async () => {
    const patient = await registerPatient();
    const reception = await createStaff("RECEPTIONIST");
    const receptionToken = await signIn(url, reception.email, PASSWORD);
    const { updatePatient } = await expectData<{ updatePatient: { name: string; phone: string | null } }>(
      url,
      "mutation($id: ID!, $i: UpdatePatientInput!) { updatePatient(id: $id, input: $i) { name phone } }",
      { id: patient.id, i: { name: "Desk Updated", phone: null } },
      receptionToken,
    );
    expect(updatePatient).toEqual({ name: "Desk Updated", phone: null });
    const doctor = await createStaff("DOCTOR");
    const refused = await graphql(
      url,
      "mutation($id: ID!, $i: UpdatePatientInput!) { updatePatient(id: $id, input: $i) { name } }",
      { id: patient.id, i: { name: "Nope" } },
      await signIn(url, doctor.email, PASSWORD),
    );
    expect(refused.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });
});

describe("e-mail change through the router", () => {
  it("the code goes to the new address; the old one works until it is confirmed, then the new one", async () => {
    const patient = await registerPatient();
    const newEmail = uniqueEmail("steward.new");
    await expectData(
      url,
      "mutation($e: String!, $p: String!) { requestEmailChange(newEmail: $e, currentPassword: $p) }",
      { e: newEmail, p: PASSWORD },
      patient.token,
    );
    const mail = await mailbox.next((m) => m.to === newEmail);
    // In the body only: notifications' delivery log keeps subjects.
    expect(mail.subject).not.toMatch(/\b\d{6}\b/);
    const code = /\b(\d{6})\b/.exec(mail.text)?.[1];
    expect(code).toMatch(/^\d{6}$/);
    // notifications sent it and logged it for the patient: kind, subject and status, never the code.
    const log = await expectData<{ myNotifications: { edges: { node: { kind: string; subject: string | null; status: string; channel: string } }[] } }>(
      url,
      "{ myNotifications(first: 20) { edges { node { kind subject status channel } } } }",
      {},
      patient.token,
    );
    expect(log.myNotifications.edges.map((edge) => edge.node)).toContainEqual({
      kind: "EMAIL_CHANGE_CODE",
      subject: mail.subject,
      status: "SENT",
      channel: "EMAIL",
    });
    expect(JSON.stringify(log)).not.toContain(code!);
    expect((await login(patient.email)).data?.login.accessToken).toEqual(expect.any(String));

    const { confirmEmailChange } = await expectData<{ confirmEmailChange: { email: string } }>(
      url,
      "mutation($c: String!) { confirmEmailChange(code: $c) { email } }",
      { c: code },
      patient.token,
    );
    expect(confirmEmailChange.email).toBe(newEmail);
    expect((await login(patient.email)).errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    expect((await login(newEmail)).data?.login.accessToken).toEqual(expect.any(String));
    const notice = await mailbox.next((m) => m.to === patient.email && /changed/.test(m.subject));
    expect(notice.text).toMatch(/changed/);
  });
});
