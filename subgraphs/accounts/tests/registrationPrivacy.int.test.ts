/**
 * Registration reveals nobody: a shared phone is no CONFLICT, a national id is not taken from an
 * anonymous caller, attempts are limited per client address (RATE_LIMITED past the limit, for an hour), and
 * addresses mixing alphabets or names carrying bidirectional overrides are refused.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { createClient } from "redis";
import { callSubgraph, uniqueEmail, type TestCaller } from "@clinigraph/testing";
import { startTestAccounts } from "./support/harness.js";
import { createRedisRegistrationThrottle } from "../src/data/registrationThrottle.js";

const ADMIN_EMAIL = uniqueEmail("admin");
const ADMIN_PASSWORD = "Admin-password-1";
const STRONG = "Correct-horse-42";
const LIMIT = 3;
const REGISTER = `mutation($i: RegisterPatientInput!) { registerPatient(input: $i) { user { id phone } } }`;
const LOGIN = `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { user { id role } } }`;
const CREATE_STAFF = `mutation($i: CreateStaffUserInput!) { createStaffUser(input: $i) { id } }`;

let url: string;
let now = new Date("2027-03-22T08:00:00Z").getTime();
let admin: TestCaller;

/** A caller as the router forwards it, with the client address it saw. */
const from = (clientIp: string, who: TestCaller = { userId: null, role: null }) => ({ ...who, clientIp }) as TestCaller;
let ipSeq = 0;
/** A client address no other test uses (TEST-NET-3). */
const freshIp = () => `203.0.113.${++ipSeq}`;

const register = (input: Record<string, unknown>, caller: TestCaller = { userId: null, role: null }) =>
  callSubgraph<{ registerPatient: { user: { id: string; phone: string | null } } }>(
    url,
    REGISTER,
    { i: { email: uniqueEmail("reg"), password: STRONG, name: "Reg Test", ...input } },
    caller,
  );

let accounts: Awaited<ReturnType<typeof startTestAccounts>>;
beforeAll(async () => {
  accounts = await startTestAccounts(
    { admin: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD }, registrationLimits: { perIp: LIMIT, windowMs: 3_600_000 } },
    { clock: () => new Date(now) },
  );
  url = accounts.url;
  const login = await callSubgraph<{ login: { user: { id: string } } }>(url, LOGIN, { e: ADMIN_EMAIL, p: ADMIN_PASSWORD });
  admin = { userId: login.data!.login.user.id, role: "ADMIN" };
});

afterAll(async () => {
  await accounts?.close();
});

describe("phone numbers are not unique", () => {
  it("two patients (different e-mails) register with the same phone; staff may share it too", async () => {
    const phone = `+4915199${Math.floor(100000 + Math.random() * 899999)}`;
    const first = await register({ phone });
    const second = await register({ phone: phone.replace("+49", "+49 ") });
    expect([first.errors, second.errors]).toEqual([undefined, undefined]);
    expect(second.data!.registerPatient.user.phone).toBe(phone);
    expect(first.data!.registerPatient.user.id).not.toBe(second.data!.registerPatient.user.id);
    const staff = await callSubgraph(
      url,
      CREATE_STAFF,
      { i: { email: uniqueEmail("rec"), password: STRONG, name: "Rita Desk", phone, role: "RECEPTIONIST" } },
      admin,
    );
    expect(staff.errors).toBeUndefined();
  });
});

describe("registration without e-mail codes (this clinic's setting)", () => {
  it("refuses a code request on the code's field, so a client can go straight to registerPatient", async () => {
    const res = await callSubgraph(url, `mutation($e: String!) { requestRegistrationCode(email: $e) }`, { e: uniqueEmail("nocode") });
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "verificationCode" });
  });
});

describe("national id", () => {
  it("is not part of self-registration: BAD_USER_INPUT, nothing created", async () => {
    const email = uniqueEmail("nid");
    const res = await callSubgraph(url, REGISTER, { i: { email, password: STRONG, name: "Nadia", nationalId: "AB 123456" } });
    expect(res.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(JSON.stringify(res.errors)).not.toContain("123456");
    expect((await callSubgraph(url, LOGIN, { e: email, p: STRONG })).errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
  });
});

describe("registration throttle per client address", () => {
  it("counts attempts that succeed and attempts that conflict; past the limit RATE_LIMITED, without saying whether the e-mail exists", async () => {
    const ip = freshIp();
    const taken = (await register({}, from(ip))).data!.registerPatient;
    expect(taken).toBeDefined();
    const takenEmail = (
      await callSubgraph<{ _entities: { email: string }[] }>(
        url,
        `query($r: [_Any!]!) { _entities(representations: $r) { ... on User { email } } }`,
        { r: [{ __typename: "User", id: taken.user.id }] },
        admin,
      )
    ).data!._entities[0]!.email;
    const conflict = await register({ email: takenEmail }, from(ip));
    expect(conflict.errors?.[0]?.extensions?.code).toBe("CONFLICT");
    expect((await register({}, from(ip))).errors).toBeUndefined(); // the third attempt: at the limit
    for (const email of [takenEmail, uniqueEmail("late")]) {
      const refused = await register({ email }, from(ip));
      expect(refused.errors?.[0]?.extensions?.code).toBe("RATE_LIMITED");
      expect(refused.errors?.[0]?.message).toMatch(/Too many registrations/);
    }
  });

  it("is per address, ignores staff and invalid input, and lifts after an hour", async () => {
    const ip = freshIp();
    // Refused input reveals nothing and is not counted.
    for (let i = 0; i < LIMIT + 2; i++) expect((await register({ password: "short" }, from(ip))).errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    for (let i = 0; i < LIMIT; i++) expect((await register({}, from(ip))).errors).toBeUndefined();
    expect((await register({}, from(ip))).errors?.[0]?.extensions?.code).toBe("RATE_LIMITED");
    // Another address, and staff registering at the desk from the same address, are not held back.
    expect((await register({}, from(freshIp()))).errors).toBeUndefined();
    expect((await register({}, from(ip, admin))).errors).toBeUndefined();
    // Without an address (an internal call) nothing is counted.
    expect((await register({})).errors).toBeUndefined();
    now += 3_600_000;
    expect((await register({}, from(ip))).errors).toBeUndefined();
  });

  it("on Redis: counts in one window shared by every replica, the key expiring with the window", async () => {
    const redisUrl = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
    const namespace = `test-registration-${Date.now()}-${Math.random().toString(36).slice(2)}:`;
    const [a, b] = await Promise.all([createRedisRegistrationThrottle(redisUrl, namespace), createRedisRegistrationThrottle(redisUrl, namespace)]);
    const client = createClient({ url: redisUrl });
    await client.connect();
    try {
      const replies = await Promise.all([a, b, a, b].map((t) => t.take("ip:198.51.100.1", 3, 60_000)));
      expect(replies.filter((ms) => ms === 0)).toHaveLength(3);
      const refused = replies.find((ms) => ms > 0)!;
      expect(refused).toBeGreaterThan(0);
      expect(refused).toBeLessThanOrEqual(60_000);
      const ttl = await client.pTTL(`${namespace}clinigraph:register:ip:198.51.100.1`);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(60_000);
      expect(await a.take("ip:198.51.100.2", 3, 60_000)).toBe(0);
    } finally {
      const keys = await client.keys(`${namespace}*`);
      if (keys.length) await client.del(keys);
      await client.quit();
      await Promise.all([a.close(), b.close()]);
    }
  });
});

describe("hostile-looking text", () => {
  it("an e-mail mixing alphabets is refused at registration (on the field) and answers like any wrong sign-in", async () => {
    const mixed = `p\u0430tient-${Date.now()}@example.test`; // Cyrillic а
    const res = await register({ email: mixed }, from(freshIp()));
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.email" });
    const login = await callSubgraph(url, LOGIN, { e: mixed, p: STRONG });
    const wrong = await callSubgraph(url, LOGIN, { e: uniqueEmail("nobody"), p: STRONG });
    expect(login.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    expect(login.errors?.[0]?.message).toBe(wrong.errors?.[0]?.message);
    const staff = await callSubgraph(url, CREATE_STAFF, { i: { email: mixed, password: STRONG, name: "Mixed", role: "DOCTOR" } }, admin);
    expect(staff.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.email" });
  });

  it("a name with a right-to-left override or a terminal escape is refused; Korean, Russian, accents and emoji are kept", async () => {
    for (const name of ["Ann\u202ELee", "Ann \u001b[2J Lee"]) {
      const res = await register({ name }, from(freshIp()));
      expect(res.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
      expect(res.data?.registerPatient ?? null).toBeNull();
    }
    for (const name of ["김민지", "Анна Петрова", "Hélène Côté 🌷"]) {
      const res = await callSubgraph<{ registerPatient: { user: { name: string } } }>(
        url,
        `mutation($i: RegisterPatientInput!) { registerPatient(input: $i) { user { name } } }`,
        { i: { email: uniqueEmail("intl"), password: STRONG, name } },
      );
      expect(res.data?.registerPatient.user.name).toBe(name);
    }
  });
});
