/**
 * `POST /internal/contacts`: another service (notifications) reads users' name, e-mail, phone and role in clear, with
 * its own signed identity (no user, no role). Unsigned requests get 401; a user's identity, even forwarded by a
 * subgraph, and an anonymous browser identity are refused (FORBIDDEN); unknown ids are left out; the list must hold
 * 1 to 500 UUIDs (BAD_USER_INPUT).
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { randomUUID } from "node:crypto";
import { IDENTITY_HEADER, type Identity } from "@clinigraph/platform";
import { queryDatabase, signIdentity, TEST_ROUTER_SECRETS, uniqueEmail } from "@clinigraph/testing";
import { startTestAccounts } from "./support/harness.js";

let accounts: Awaited<ReturnType<typeof startTestAccounts>>;
let endpoint: string;

beforeAll(async () => {
  accounts = await startTestAccounts();
  endpoint = accounts.url.replace("/graphql", "/internal/contacts");
});

afterAll(async () => {
  await accounts?.close();
});

const service = (): Identity => ({ userId: null, role: null, requestId: `test:${randomUUID()}` });

/** POSTs `body` (JSON) signed as `caller`, or without an identity header when "unsigned". */
async function ask(body: unknown, caller: Identity | "unsigned" = service()) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (caller !== "unsigned") headers[IDENTITY_HEADER] = await signIdentity(caller, TEST_ROUTER_SECRETS);
  const res = await fetch(endpoint, { method: "POST", headers, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as { contacts?: unknown[]; error?: { code: string; message: string } } };
}

async function newUser(input: { name: string; phone: string | null; role: "PATIENT" | "DOCTOR" }) {
  const email = uniqueEmail("contact");
  const user = await accounts.users.create({ ...input, email, passwordHash: "not-a-real-hash" });
  return { id: user.id, email, ...input };
}

describe("POST /internal/contacts", () => {
  it("answers a service with the contacts of the users that exist, in clear, leaving unknown ids out", async () => {
    const patient = await newUser({ name: "Paula Contact", phone: "+491701234567", role: "PATIENT" });
    const doctor = await newUser({ name: "Dr. Dora Contact", phone: null, role: "DOCTOR" });
    const unknown = randomUUID();

    const res = await ask({ userIds: [patient.id, unknown, doctor.id.toUpperCase(), patient.id] });

    expect(res.status).toBe(200);
    const byId = (a: unknown, b: unknown) => ((a as { userId: string }).userId < (b as { userId: string }).userId ? -1 : 1);
    expect([...res.body.contacts!].sort(byId)).toEqual(
      [
        { userId: patient.id, name: "Paula Contact", email: patient.email, phone: "+491701234567", role: "PATIENT" },
        { userId: doctor.id, name: "Dr. Dora Contact", email: doctor.email, phone: null, role: "DOCTOR" },
      ].sort(byId),
    );
    // What the endpoint opened is sealed at rest.
    const [row] = await queryDatabase<{ email_enc: string; phone_enc: string }>(
      accounts.db.url,
      "SELECT email_enc, phone_enc FROM accounts.users WHERE id = $1",
      [patient.id],
    );
    expect(row!.email_enc).not.toContain(patient.email);
    expect(row!.phone_enc).not.toContain("1701234567");
  });

  it("answers an empty list when none of the users exists", async () => {
    const res = await ask({ userIds: [randomUUID(), randomUUID()] });
    expect(res).toEqual({ status: 200, body: { contacts: [] } });
  });

  it("refuses a request without the signed identity (401)", async () => {
    const patient = await newUser({ name: "Una Signed", phone: "+491709999999", role: "PATIENT" });
    const res = await ask({ userIds: [patient.id] }, "unsigned");
    expect(res.status).toBe(401);
    expect(res.body.error?.code).toBe("UNAUTHENTICATED");
    expect(JSON.stringify(res.body)).not.toContain(patient.email);
  });

  it("refuses a signed-in user's identity, even an ADMIN's or the user's own, with FORBIDDEN", async () => {
    const patient = await newUser({ name: "Ona Self", phone: "+491708888888", role: "PATIENT" });
    const callers: Identity[] = [
      { userId: patient.id, role: "PATIENT", requestId: "forwarded" },
      { userId: randomUUID(), role: "ADMIN", requestId: "forwarded" },
      // An anonymous browser's identity, as the router forwards it (with the client address), is no service either.
      { userId: null, role: null, requestId: "forwarded", clientIp: "203.0.113.7" },
    ];
    for (const caller of callers) {
      const res = await ask({ userIds: [patient.id] }, caller);
      expect({ status: res.status, code: res.body.error?.code }).toEqual({ status: 400, code: "FORBIDDEN" });
      expect(JSON.stringify(res.body)).not.toContain(patient.email);
    }
  });

  it("refuses more than 500 ids, an empty list, non-UUIDs and a body without userIds with BAD_USER_INPUT", async () => {
    const bodies: unknown[] = [
      { userIds: Array.from({ length: 501 }, () => randomUUID()) },
      { userIds: [] },
      { userIds: [randomUUID(), "not-a-uuid"] },
      { userIds: [randomUUID(), 42] },
      { userIds: randomUUID() },
      {},
      [randomUUID()],
    ];
    for (const body of bodies) {
      const res = await ask(body);
      expect({ status: res.status, code: res.body.error?.code }).toEqual({ status: 400, code: "BAD_USER_INPUT" });
    }
  });

  it("accepts exactly 500 ids", async () => {
    const patient = await newUser({ name: "Max Batch", phone: null, role: "PATIENT" });
    const res = await ask({ userIds: [patient.id, ...Array.from({ length: 499 }, () => randomUUID())] });
    expect(res.status).toBe(200);
    expect(res.body.contacts).toEqual([{ userId: patient.id, name: "Max Batch", email: patient.email, phone: null, role: "PATIENT" }]);
  });
});
