/**
 * Through the router: self-registration reveals nobody and refuses look-alike input.
 * - a phone number may be shared (two patients, two e-mails, one phone: both registered);
 * - a national id is not accepted at self-registration (the input has no such field);
 * - registration attempts are limited per client address (REGISTRATION_MAX_PER_IP_PER_HOUR), RATE_LIMITED beyond;
 * - an e-mail mixing alphabets and a name carrying a right-to-left override are refused (BAD_USER_INPUT).
 * The router trusts X-Forwarded-For from loopback here, so each test speaks from its own client address.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { uniqueEmail } from "@clinigraph/testing";
import { startStack, type Response, type Stack } from "../support/stack.js";

const LIMIT = 3;
const PASSWORD = "Correct-horse-42";
const REGISTER = `mutation($i: RegisterPatientInput!) { registerPatient(input: $i) { accessToken user { id name phone } } }`;
const LOGIN = `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }`;

let stack: Stack;
let url: string;
let seq = 0;
/** A client address no other test uses (TEST-NET-2). */
const freshAddress = () => `198.51.100.${++seq}`;

beforeAll(async () => {
  stack = await startStack({ env: { REGISTRATION_MAX_PER_IP_PER_HOUR: String(LIMIT) }, trustedProxies: ["loopback"] });
  url = stack.routerUrl;
});

afterAll(async () => {
  await stack?.stop();
});

async function call<T = Record<string, unknown>>(query: string, variables: Record<string, unknown>, from: string): Promise<Response<T>> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", "x-forwarded-for": from },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, ...((await res.json()) as Omit<Response<T>, "status">) };
}

type Registered = { registerPatient: { accessToken: string; user: { id: string; name: string; phone: string | null } } };
const register = (input: Record<string, unknown>, from = freshAddress()) =>
  call<Registered>(REGISTER, { i: { email: uniqueEmail("priv"), password: PASSWORD, name: "Pia Private", ...input } }, from);
const codeOf = (res: Response<unknown>) => res.errors?.[0]?.extensions?.code;

describe("registration reveals nobody", () => {
  it("two patients with different e-mails and the same phone both register", async () => {
    const phone = `+49 151 ${Math.floor(10_000_000 + Math.random() * 89_999_999)}`;
    const first = await register({ phone });
    const second = await register({ phone });
    expect([first.errors, second.errors]).toEqual([undefined, undefined]);
    expect(first.data!.registerPatient.user.id).not.toBe(second.data!.registerPatient.user.id);
    expect(second.data!.registerPatient.user.phone).toBe(phone.replace(/ /g, ""));
  });

  it("a national id is not accepted at self-registration (validation error, nothing registered)", async () => {
    const email = uniqueEmail("nid");
    const from = freshAddress();
    const asVariable = await call(REGISTER, { i: { email, password: PASSWORD, name: "Nadia", nationalId: "AB 123456" } }, from);
    expect(codeOf(asVariable)).toBe("BAD_USER_INPUT");
    expect(asVariable.data ?? null).toBeNull();
    expect(JSON.stringify(asVariable)).not.toContain("123456");
    const inline = await call(
      `mutation { registerPatient(input: { email: "${email}", password: "${PASSWORD}", name: "Nadia", nationalId: "AB 123456" }) { accessToken } }`,
      {},
      from,
    );
    expect(codeOf(inline)).toBe("GRAPHQL_VALIDATION_FAILED");
    expect(codeOf(await call(LOGIN, { e: email, p: PASSWORD }, freshAddress()))).toBe("UNAUTHENTICATED");
  });

  it(`counts registrations per client address: ${LIMIT} per hour (successful or not), RATE_LIMITED beyond; another address is not held back`, async () => {
    const from = freshAddress();
    const email = uniqueEmail("taken");
    expect((await register({ email }, from)).errors).toBeUndefined();
    expect(codeOf(await register({ email }, from))).toBe("CONFLICT"); // counted too
    expect((await register({}, from)).errors).toBeUndefined();
    for (const input of [{ email }, {}]) {
      const refused = await register(input, from);
      expect(codeOf(refused)).toBe("RATE_LIMITED");
      expect(refused.data ?? null).toBeNull();
      expect(JSON.stringify(refused.errors)).not.toMatch(/exists|CONFLICT/);
    }
    expect((await register({})).errors).toBeUndefined();
  });
});

describe("look-alike input is refused", () => {
  it("an e-mail mixing alphabets (a Cyrillic а in a Latin address): BAD_USER_INPUT on the field; signing in with it is a plain wrong sign-in", async () => {
    const mixed = `p\u0430tient.${Date.now()}@example.test`;
    const res = await register({ email: mixed });
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.email" });
    expect(JSON.stringify(res.errors)).not.toContain("tient.");
    const login = await call(LOGIN, { e: mixed, p: PASSWORD }, freshAddress());
    expect(codeOf(login)).toBe("UNAUTHENTICATED");
    expect(login.errors?.[0]?.message).toBe("Invalid e-mail or password");
  });

  it("a name with U+202E (right-to-left override) is refused; Korean, Russian, accents and emoji are kept", async () => {
    const email = uniqueEmail("rlo");
    const refused = await register({ email, name: "Ann\u202Egnp.exe" });
    expect(codeOf(refused)).toBe("BAD_USER_INPUT");
    expect(refused.data?.registerPatient ?? null).toBeNull();
    expect(codeOf(await call(LOGIN, { e: email, p: PASSWORD }, freshAddress()))).toBe("UNAUTHENTICATED");
    for (const name of ["김민지", "Анна Петрова", "Hélène Côté 🌷"]) {
      const ok = await register({ name });
      expect(ok.data?.registerPatient.user.name).toBe(name);
    }
  });
});
